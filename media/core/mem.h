/* mem — the one allocation wrapper of the project.
 *
 * Every allocation goes through these functions so that a test can make the
 * N-th allocation fail (mem_fail_nth) and check that the caller returns
 * -ENOMEM cleanly instead of crashing. The counters are process-wide and not
 * thread-safe in test mode: failure injection is for single-threaded tests.
 */
#ifndef CAU_MEM_H
#define CAU_MEM_H

#include <stddef.h>

/* Allocate n bytes; NULL on failure (or on an injected failure). */
void *mem_alloc(size_t n);
/* Allocate n zeroed bytes. */
void *mem_zalloc(size_t n);
/* Resize; on failure the old block is left untouched and NULL returned. */
void *mem_realloc(void *p, size_t n);
/* Copy of a NUL-terminated string, or of the first n bytes (mem_strndup). */
char *mem_strdup(const char *s);
char *mem_strndup(const char *s, size_t n);
/* Free; NULL is accepted. */
void mem_free(void *p);

/* Test mode: the nth allocation from now (1-based) and every one after it
 * fails. 0 turns failure injection off. */
void mem_fail_nth(unsigned long nth);
/* Number of allocations attempted since the last mem_fail_nth / reset. */
unsigned long mem_alloc_count(void);
/* Allocations not yet freed (live blocks), for leak checks in tests. */
long mem_live_count(void);

#endif
