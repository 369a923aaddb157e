/* schema_check — assertions for tests of a message table of
 * signaling/core/schema.h (client messages, control requests): a text
 * parses as a given message, or fails with a given result and message.
 * A mismatch fails the running cmocka test, quoting the text. No
 * allocation that outlives a call. */
#ifndef CAU_TEST_SCHEMA_CHECK_H
#define CAU_TEST_SCHEMA_CHECK_H

#include <stddef.h>

#include "signaling/core/schema.h"

/* A message table and the key that names the message type. */
struct schema_check {
    const char *type_key;
    const struct schema_msg *msgs;
    size_t count;
};

/* text parses (SCHEMA_OK) as the message whose type is want. */
void schema_check_ok(const struct schema_check *t, const char *text, const char *want);
/* text fails with result want and, unless msg is NULL, the error msg. */
void schema_check_bad(const struct schema_check *t, const char *text, enum schema_result want,
                      const char *msg);

#endif
