/* dtls_bio — an OpenSSL BIO sink that keeps datagram boundaries.
 *
 * A plain memory BIO (BIO_s_mem) concatenates everything written to it, but
 * DTLS needs each write kept as one datagram: OpenSSL sizes its flights to
 * the MTU and writes one datagram per BIO_write (RFC 6347 §4.1.1). This BIO
 * is the write side of struct dtls: every BIO_write becomes one queued
 * datagram that the owner pops and sends. It never touches a socket.
 *
 * Ownership: struct dtls_bio is embedded in its owner. dtls_bio_init()
 * creates the BIO method and one BIO pointing back at the queue; the owner
 * hands that BIO to SSL_set_bio (the SSL then owns and frees the BIO) and
 * calls dtls_bio_fini() after SSL_free (fini frees the method and any queued
 * datagrams). Queued datagrams are allocated with mem_alloc; when the queue is
 * full or an allocation fails the datagram is dropped and counted (DTLS
 * retransmits the flight on its timer), never reported to OpenSSL as an error.
 *
 * Errors: -ENOMEM, -ENOSPC (dtls_bio_pop: buffer shorter than the datagram,
 * which stays queued).
 */
#ifndef CAU_DTLS_BIO_H
#define CAU_DTLS_BIO_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/bio.h>

#define DTLS_BIO_QUEUE_MAX 32

struct dtls_bio_dgram {
    uint8_t *p;
    size_t n;
};

struct dtls_bio {
    BIO_METHOD *method;
    BIO *bio; /* owned by the SSL once handed over */
    struct dtls_bio_dgram q[DTLS_BIO_QUEUE_MAX];
    size_t head;
    size_t count;
    uint64_t queued;  /* datagrams written by OpenSSL and queued */
    uint64_t dropped; /* datagrams lost to a full queue or failed allocation */
};

__attribute__((warn_unused_result)) int dtls_bio_init(struct dtls_bio *b);
/* Frees the method and queued datagrams, not the BIO (the SSL frees it). */
void dtls_bio_fini(struct dtls_bio *b);

/* Pops the oldest datagram into buf: 1 when one was written (*len set), 0 when
 * the queue is empty, -ENOSPC when cap is too small. */
__attribute__((warn_unused_result)) int dtls_bio_pop(struct dtls_bio *b, uint8_t *buf, size_t cap,
                                                     size_t *len);

#endif
