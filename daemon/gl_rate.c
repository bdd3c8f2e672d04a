/*  gl_rate.c: see gl_rate.h.  Main thread only.                            */
#include "gl_rate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/*  A peer is known by a 64-bit hash of its routing id (1 to 255 bytes):
 *  two peers that clash share a bucket, which is harmless.                */
typedef struct {
    uint64_t peer;              /* 0: free slot                              */
    double tokens;
    double stamp;               /* when tokens was last brought up to date   */
} gl_bucket_t;

struct gl_rate {
    gl_bucket_t *slots;
    size_t n_slots;             /* a power of two                            */
    size_t used;
};

gl_rate_t *
gl_rate_new (void)
{
    gl_rate_t *r = calloc (1, sizeof *r);
    if (!r)
        return NULL;
    r->n_slots = 64;
    r->slots = calloc (r->n_slots, sizeof *r->slots);
    if (!r->slots) {
        free (r);
        return NULL;
    }
    return r;
}

void
gl_rate_destroy (gl_rate_t **rate)
{
    if (!rate || !*rate)
        return;
    free ((*rate)->slots);
    free (*rate);
    *rate = NULL;
}

static uint64_t
s_hash (const uint8_t *p, size_t n)
{
    uint64_t h = UINT64_C (14695981039346656037);   /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * UINT64_C (1099511628211);
    return h ? h : 1;
}

static gl_bucket_t *
s_find (gl_bucket_t *slots, size_t n_slots, uint64_t peer, bool *found)
{
    size_t i = (size_t) (peer ^ (peer >> 32)) & (n_slots - 1);
    while (slots[i].peer) {
        if (slots[i].peer == peer) {
            *found = true;
            return &slots[i];
        }
        i = (i + 1) & (n_slots - 1);
    }
    *found = false;
    return &slots[i];
}

/*  Rebuilds the table into n_slots slots, keeping only the peers whose
 *  bucket is not full again.  Returns false when out of memory.           */
static bool
s_rebuild (gl_rate_t *r, size_t n_slots, double now, double per_second,
           double burst)
{
    gl_bucket_t *slots = calloc (n_slots, sizeof *slots);
    if (!slots)
        return false;
    size_t used = 0;
    for (size_t i = 0; i < r->n_slots; i++) {
        gl_bucket_t *b = &r->slots[i];
        if (!b->peer || b->tokens + (now - b->stamp) * per_second >= burst)
            continue;
        bool found;
        *s_find (slots, n_slots, b->peer, &found) = *b;
        used++;
    }
    free (r->slots);
    r->slots = slots;
    r->n_slots = n_slots;
    r->used = used;
    return true;
}

uint64_t
gl_rate_take (gl_rate_t *r, const void *peer, size_t peer_len, double now,
              double per_second, double burst, bool *unmetered)
{
    *unmetered = false;
    if (!r || per_second <= 0)
        return 0;
    if (burst < 1)
        burst = 1;
    uint64_t key = s_hash (peer, peer_len);
    bool found;
    gl_bucket_t *b = s_find (r->slots, r->n_slots, key, &found);
    if (!found) {
        /* Keep the load under 1/2: first forget idle peers, then grow. */
        if ((r->used + 1) * 2 > r->n_slots) {
            size_t n = r->n_slots;
            if (!s_rebuild (r, n, now, per_second, burst))
                return 0;
            while ((r->used + 1) * 2 > n && n / 2 < GL_RATE_MAX_PEERS)
                n *= 2;
            if ((r->used + 1) * 2 > n) {
                *unmetered = true;
                return 0;
            }
            if (n != r->n_slots && !s_rebuild (r, n, now, per_second, burst))
                return 0;
            b = s_find (r->slots, r->n_slots, key, &found);
        }
        b->peer = key;
        b->tokens = burst;
        b->stamp = now;
        r->used++;
    }
    b->tokens = fmin (burst, b->tokens + (now - b->stamp) * per_second);
    b->stamp = now;
    if (b->tokens >= 1) {
        b->tokens -= 1;
        return 0;
    }
    uint64_t ms = (uint64_t) ceil ((1 - b->tokens) / per_second * 1000.0);
    return ms ? ms : 1;
}
