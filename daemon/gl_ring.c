/*  gl_ring.c: see gl_ring.h.  Main thread only: no locks.
 *
 *  The buffer is a log: each message is written at `head` as its topic then
 *  its bytes, and head moves past it.  The messages held occupy, in the
 *  order they were put, the positions from the oldest one's up to the end
 *  of the previous lap, then from 0 up to head.  To write n bytes at head,
 *  the oldest messages that start in [head, head + n) are forgotten; when
 *  the message does not fit before the end of the buffer, everything left
 *  of the previous lap is forgotten too and the write starts again at 0.  */
#include "gl_ring.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    uint64_t seq;               /* 0: empty slot                             */
    uint64_t key;               /* 0: no key (not a control document)        */
    size_t off;                 /* in the buffer: the topic, then the body   */
    size_t topic_len, size;
} gl_ring_slot_t;

typedef struct {
    uint64_t key;               /* 0: free                                   */
    uint64_t seq;
} gl_index_t;

struct gl_ring {
    size_t capacity, max_bytes, bytes, head;
    uint64_t first, last;       /* seqs held: first..last (first 0: none)    */
    unsigned char *buf;         /* max_bytes                                 */
    gl_ring_slot_t *slots;      /* capacity                                  */
    gl_index_t *index;          /* index_mask + 1, a power of two            */
    size_t index_mask;
};

gl_ring_t *
gl_ring_new (size_t capacity, size_t max_bytes)
{
    if (capacity == 0)
        capacity = 1;
    if (max_bytes == 0)
        max_bytes = 1;
    gl_ring_t *r = calloc (1, sizeof *r);
    if (!r)
        return NULL;
    size_t n = 16;
    while (n < capacity * 2)
        n *= 2;
    r->capacity = capacity;
    r->max_bytes = max_bytes;
    /* Written through at once: the log goes round the whole buffer in
     * time anyway, so the daemon's memory is what it will be from the
     * start, not a figure that creeps up over the first laps (and a
     * machine without the memory fails now, not under load). */
    r->buf = malloc (max_bytes);
    /* (A memset of zeros would be turned into calloc, which touches
     * nothing: write each page through a volatile pointer.) */
    for (size_t i = 0; r->buf && i < max_bytes; i += 4096)
        ((volatile unsigned char *) r->buf)[i] = 0;
    r->slots = calloc (capacity, sizeof *r->slots);
    r->index = calloc (n, sizeof *r->index);
    r->index_mask = n - 1;
    if (!r->buf || !r->slots || !r->index) {
        gl_ring_destroy (&r);
        return NULL;
    }
    return r;
}

void
gl_ring_destroy (gl_ring_t **ring)
{
    if (!ring || !*ring)
        return;
    free ((*ring)->buf);
    free ((*ring)->slots);
    free ((*ring)->index);
    free (*ring);
    *ring = NULL;
}

/*  ---------------------------------------------------------------------
 *  The key index.                                                          */

static size_t
s_home (const gl_ring_t *r, uint64_t key)
{
    return (size_t) (key ^ (key >> 29)) & r->index_mask;
}

static void
s_index_put (gl_ring_t *r, uint64_t key, uint64_t seq)
{
    size_t i = s_home (r, key);
    while (r->index[i].key && r->index[i].key != key)
        i = (i + 1) & r->index_mask;
    /* The same key again (a document linted twice through ingest): the
     * newer answer wins. */
    r->index[i].key = key;
    r->index[i].seq = seq;
}

/*  Removes key if it still points at seq; closes the hole by moving back
 *  the entries after it that would not be found across it (Knuth's
 *  algorithm R), so no tombstones are needed.                             */
static void
s_index_del (gl_ring_t *r, uint64_t key, uint64_t seq)
{
    size_t i = s_home (r, key);
    while (r->index[i].key && r->index[i].key != key)
        i = (i + 1) & r->index_mask;
    if (r->index[i].key != key || r->index[i].seq != seq)
        return;
    size_t hole = i;
    for (size_t j = (hole + 1) & r->index_mask; r->index[j].key;
         j = (j + 1) & r->index_mask) {
        size_t home = s_home (r, r->index[j].key);
        /* Can j's entry move to the hole?  Only if its home is not in
         * the cyclic interval (hole, j]. */
        bool between = hole <= j ? (home > hole && home <= j)
                                 : (home > hole || home <= j);
        if (!between) {
            r->index[hole] = r->index[j];
            hole = j;
        }
    }
    r->index[hole].key = 0;
    r->index[hole].seq = 0;
}

/*  ---------------------------------------------------------------------
 *  The ring.                                                               */

static gl_ring_slot_t *
s_oldest (gl_ring_t *r)
{
    return r->first ? &r->slots[r->first % r->capacity] : NULL;
}

static void
s_evict_oldest (gl_ring_t *r)
{
    gl_ring_slot_t *e = s_oldest (r);
    if (e->key)
        s_index_del (r, e->key, e->seq);
    r->bytes -= e->topic_len + e->size;
    memset (e, 0, sizeof *e);
    if (r->first == r->last) {
        r->first = 0;
        r->head = 0;    /* empty: the next message starts the buffer */
    }
    else
        r->first++;
}

int
gl_ring_put (gl_ring_t *r, uint64_t seq, uint64_t key, const char *topic,
             size_t topic_len, const void *data, size_t size)
{
    if (!r || seq == 0 || seq <= r->last)
        return -1;
    /* Seqs held are consecutive: after a message that could not be kept,
     * start again from this one. */
    while (r->first && seq != r->last + 1)
        s_evict_oldest (r);
    size_t need = topic_len + size;
    if (need > r->max_bytes) {
        while (r->first)
            s_evict_oldest (r);
        r->last = seq;
        return -1;
    }
    while (r->first && r->last - r->first + 1 >= r->capacity)
        s_evict_oldest (r);
    size_t w = r->head;
    if (w + need > r->max_bytes) {
        /* No room before the end: the rest of the previous lap goes. */
        while (r->first && s_oldest (r)->off >= w)
            s_evict_oldest (r);
        w = 0;
    }
    while (r->first && s_oldest (r)->off >= w && s_oldest (r)->off < w + need)
        s_evict_oldest (r);
    gl_ring_slot_t *e = &r->slots[seq % r->capacity];
    e->seq = seq;
    e->key = key;
    e->off = w;
    e->topic_len = topic_len;
    e->size = size;
    if (topic_len)
        memcpy (r->buf + w, topic, topic_len);
    if (size)
        memcpy (r->buf + w + topic_len, data, size);
    r->head = w + need;
    r->bytes += need;
    r->last = seq;
    if (!r->first)
        r->first = seq;
    if (key)
        s_index_put (r, key, seq);
    return 0;
}

bool
gl_ring_get (const gl_ring_t *r, uint64_t seq, gl_ring_entry_t *e)
{
    if (!r || !r->first || seq < r->first || seq > r->last)
        return false;
    const gl_ring_slot_t *s = &r->slots[seq % r->capacity];
    *e = (gl_ring_entry_t) { .seq = s->seq, .key = s->key,
                             .topic = (const char *) r->buf + s->off,
                             .topic_len = s->topic_len,
                             .data = r->buf + s->off + s->topic_len,
                             .size = s->size };
    return true;
}

bool
gl_ring_find (const gl_ring_t *r, uint64_t key, gl_ring_entry_t *e)
{
    if (!r || !key)
        return false;
    size_t i = s_home (r, key);
    while (r->index[i].key) {
        if (r->index[i].key == key)
            return gl_ring_get (r, r->index[i].seq, e);
        i = (i + 1) & r->index_mask;
    }
    return false;
}

uint64_t
gl_ring_first (const gl_ring_t *r)
{
    return r ? r->first : 0;
}

uint64_t
gl_ring_last (const gl_ring_t *r)
{
    return r ? r->last : 0;
}

size_t
gl_ring_bytes (const gl_ring_t *r)
{
    return r ? r->bytes : 0;
}

/*  ---------------------------------------------------------------------
 *  The key: eight bytes at a time, each word mixed in with a multiply and
 *  a rotation, the end avalanched with MurmurHash3's finaliser.           */

static uint64_t
s_rotl (uint64_t x, int r)
{
    return (x << r) | (x >> (64 - r));
}

static uint64_t
s_hash (uint64_t h, const void *data, size_t len)
{
    const unsigned char *p = data;
    const uint64_t k1 = UINT64_C (0x9e3779b97f4a7c15);
    const uint64_t k2 = UINT64_C (0xc2b2ae3d27d4eb4f);
    h ^= (uint64_t) len * k2;
    for (; len >= 8; p += 8, len -= 8) {
        uint64_t w;
        memcpy (&w, p, 8);
        h = s_rotl (h ^ (w * k1), 31) * k2;
    }
    uint64_t w = 0;
    if (len)
        memcpy (&w, p, len);
    h = s_rotl (h ^ (w * k1), 31) * k2;
    h ^= h >> 33;
    h *= UINT64_C (0xff51afd7ed558ccd);
    h ^= h >> 33;
    h *= UINT64_C (0xc4ceb9fe1a85ec53);
    h ^= h >> 33;
    return h;
}

uint64_t
gl_ring_key (const void *source, size_t source_len, const void *id,
             size_t id_len, const void *body, size_t body_len)
{
    uint64_t h = s_hash (UINT64_C (0x67696431), source, source_len);
    h = s_hash (h, id, id_len);
    h = s_hash (h, body, body_len);
    return h ? h : 1;
}
