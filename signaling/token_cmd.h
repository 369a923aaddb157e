/* token_cmd — the `signaling token` subcommand: mints one room token.
 *
 *   signaling token --config FILE --room ROOM --role ROLE --name NAME
 *                   [--ttl SECONDS]
 *
 * argv[0] is "token". Options take their value as the next argument or
 * after '=' (--ttl=600). Loads and validates the config, checks that ROOM is
 * one of its rooms, signs {room, role, name, iat: now, exp: now + ttl} with
 * signaling.token_secret and prints the token and "\n".
 *
 * ROLE: chair, participant or observer. NAME: 1..64 bytes of UTF-8.
 * SECONDS: 1..31536000 (a year), default TOKEN_CMD_DEFAULT_TTL (a day).
 *
 * Exit codes: 0 printed; 2 bad usage (missing, unknown or invalid option,
 * a room the config does not have), message and usage on stderr; 1 the
 * config does not load (its error on stderr) or the token cannot be written.
 * --help prints the usage on stdout and returns 0.
 */
#ifndef CAU_TOKEN_CMD_H
#define CAU_TOKEN_CMD_H

#include <stdint.h>
#include <stdio.h>

#define TOKEN_CMD_DEFAULT_TTL 86400
#define TOKEN_CMD_MAX_TTL 31536000

/* The subcommand with the clock (time(NULL)), stdout and stderr. */
int token_cmd_main(int argc, char **argv);

/* The same with the current time (Unix seconds) and streams given. */
int token_cmd_run(int argc, char **argv, int64_t now_s, FILE *out, FILE *err);

#endif
