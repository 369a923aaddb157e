/* Client protocol frames (docs/protocol.md) through schema_parse and the
 * client_msgs table; see schema_fuzz.h for what is checked. */
#include <stddef.h>
#include <stdint.h>

#include "signaling/core/client_msgs.h"
#include "tests/fuzz/schema_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    schema_fuzz_one(data, size, "type", client_msgs, client_msgs_count, "ref");
    return 0;
}
