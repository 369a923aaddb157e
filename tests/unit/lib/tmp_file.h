/* tmp_file — temporary files of a unit test, next to the test binary (so
 * that a build directory holds them, not the source tree).
 *
 * tmp_file_init(argv[0]) in main() picks the directory (the current one
 * when argv[0] has no slash). tmp_file_write creates a new file
 * <dir>/<prefix>.XXXXXX with the given bytes and puts its path in the
 * caller's buffer; the caller unlink()s it. A failure to create or write
 * the file fails the running cmocka test. */
#ifndef CAU_TEST_TMP_FILE_H
#define CAU_TEST_TMP_FILE_H

#include <stddef.h>

void tmp_file_init(const char *argv0);
void tmp_file_write(char *path, size_t cap, const char *prefix, const void *data, size_t len);

#endif
