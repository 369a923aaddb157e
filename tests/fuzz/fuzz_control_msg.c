/* Control protocol request lines (docs/control-protocol.md) through
 * schema_parse and the control_msgs table; see schema_fuzz.h for what is
 * checked. */
#include <stddef.h>
#include <stdint.h>

#include "sfu/core/control_msgs.h"
#include "tests/fuzz/schema_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    schema_fuzz_one(data, size, "op", control_msgs, control_msgs_count, "id");
    return 0;
}
