#include "media/io/dtls_bio.h"

#include <errno.h>
#include <string.h>

#include "media/core/mem.h"

static int bio_write(BIO *bio, const char *data, int len)
{
    struct dtls_bio *b = BIO_get_data(bio);
    if (len <= 0)
        return 0;
    if (b->count == DTLS_BIO_QUEUE_MAX) {
        b->dropped++;
        return len;
    }
    uint8_t *p = mem_alloc((size_t)len);
    if (!p) {
        b->dropped++;
        return len;
    }
    memcpy(p, data, (size_t)len);
    struct dtls_bio_dgram *d = &b->q[(b->head + b->count) % DTLS_BIO_QUEUE_MAX];
    d->p = p;
    d->n = (size_t)len;
    b->count++;
    b->queued++;
    return len;
}

/* Only the controls OpenSSL's DTLS code needs from a datagram sink. The MTU
 * is set on the SSL (SSL_OP_NO_QUERY_MTU + SSL_set_mtu), so QUERY_MTU and
 * GET_MTU_OVERHEAD are never asked for a size; the timeout and peer controls
 * of BIO_s_datagram are meaningless without a socket and report 0. */
static long bio_ctrl(BIO *bio, int cmd, long num, void *ptr)
{
    (void)bio;
    (void)num;
    (void)ptr;
    return cmd == BIO_CTRL_FLUSH ? 1 : 0;
}

static int bio_create(BIO *bio)
{
    BIO_set_init(bio, 1);
    return 1;
}

static int bio_destroy(BIO *bio)
{
    BIO_set_data(bio, NULL);
    return 1;
}

int dtls_bio_init(struct dtls_bio *b)
{
    memset(b, 0, sizeof *b);
    b->method = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "cau dtls datagrams");
    if (!b->method || !BIO_meth_set_write(b->method, bio_write) ||
        !BIO_meth_set_ctrl(b->method, bio_ctrl) || !BIO_meth_set_create(b->method, bio_create) ||
        !BIO_meth_set_destroy(b->method, bio_destroy))
        goto fail;
    b->bio = BIO_new(b->method);
    if (!b->bio)
        goto fail;
    BIO_set_data(b->bio, b);
    return 0;
fail:
    BIO_meth_free(b->method);
    b->method = NULL;
    return -ENOMEM;
}

void dtls_bio_fini(struct dtls_bio *b)
{
    while (b->count) {
        mem_free(b->q[b->head].p);
        b->head = (b->head + 1) % DTLS_BIO_QUEUE_MAX;
        b->count--;
    }
    BIO_meth_free(b->method);
    b->method = NULL;
}

int dtls_bio_pop(struct dtls_bio *b, uint8_t *buf, size_t cap, size_t *len)
{
    if (!b->count)
        return 0;
    struct dtls_bio_dgram *d = &b->q[b->head];
    if (d->n > cap)
        return -ENOSPC;
    memcpy(buf, d->p, d->n);
    *len = d->n;
    mem_free(d->p);
    d->p = NULL;
    b->head = (b->head + 1) % DTLS_BIO_QUEUE_MAX;
    b->count--;
    return 1;
}
