/*  test_ring.c: the daemon's ring of recent results (gl_ring) and its
 *  control rate limit (gl_rate).                                           */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "gl_rate.h"
#include "gl_ring.h"

/*  Puts seq as size bytes of (seq & 0x7f).                                 */
static void
s_put (gl_ring_t *r, uint64_t seq, uint64_t key, size_t size)
{
    static unsigned char buf[8192];
    assert_true (size <= sizeof buf);
    memset (buf, (int) (seq & 0x7f), size);
    assert_int_equal (gl_ring_put (r, seq, key, "result/clean/-/", 15, buf, size), 0);
}

/*  seq is held, intact: its topic and every byte.                         */
static void
s_held (const gl_ring_t *r, uint64_t seq, size_t size)
{
    gl_ring_entry_t e;
    assert_true (gl_ring_get (r, seq, &e));
    assert_int_equal (e.seq, seq);
    assert_int_equal (e.size, size);
    assert_int_equal (e.topic_len, 15);
    assert_memory_equal (e.topic, "result/clean/-/", 15);
    for (size_t i = 0; i < size; i++)
        assert_int_equal (((const unsigned char *) e.data)[i], seq & 0x7f);
}

/*  By count: the oldest go, the rest are found by seq and key.            */
static void
test_ring_count (void **state)
{
    (void) state;
    gl_ring_t *r = gl_ring_new (100, 1 << 20);
    assert_non_null (r);
    assert_int_equal (gl_ring_first (r), 0);
    gl_ring_entry_t e;
    assert_false (gl_ring_get (r, 1, &e));
    for (uint64_t seq = 1; seq <= 250; seq++)
        s_put (r, seq, seq * 1000 + 7, 40);
    assert_int_equal (gl_ring_first (r), 151);
    assert_int_equal (gl_ring_last (r), 250);
    assert_int_equal (gl_ring_bytes (r), 100 * (40 + 15));
    assert_false (gl_ring_get (r, 150, &e));
    assert_false (gl_ring_get (r, 251, &e));
    for (uint64_t seq = 151; seq <= 250; seq++)
        s_held (r, seq, 40);
    /* Every key still held is found, every evicted one is not. */
    for (uint64_t seq = 1; seq <= 250; seq++) {
        bool found = gl_ring_find (r, seq * 1000 + 7, &e);
        assert_true (found == (seq > 150));
        if (found)
            assert_int_equal (e.seq, seq);
    }
    assert_false (gl_ring_find (r, 0, &e));
    gl_ring_destroy (&r);
    assert_null (r);
}

/*  By bytes: a big message pushes out as many old ones as it needs.       */
static void
test_ring_bytes (void **state)
{
    (void) state;
    gl_ring_t *r = gl_ring_new (1000, 1000);
    for (uint64_t seq = 1; seq <= 10; seq++)
        s_put (r, seq, 0, 85);          /* 100 bytes with the topic */
    assert_int_equal (gl_ring_first (r), 1);
    assert_int_equal (gl_ring_bytes (r), 1000);
    s_put (r, 11, 0, 285);              /* 300 at the start: three go */
    assert_int_equal (gl_ring_first (r), 4);
    assert_int_equal (gl_ring_bytes (r), 1000);
    for (uint64_t seq = 4; seq <= 10; seq++)
        s_held (r, seq, 85);
    s_held (r, 11, 285);
    /* Bigger than the buffer: not kept, the ring empty, and it goes on. */
    static unsigned char big[2000];
    assert_int_equal (gl_ring_put (r, 12, 0, "t", 1, big, sizeof big), -1);
    assert_int_equal (gl_ring_first (r), 0);
    s_put (r, 13, 0, 85);
    assert_int_equal (gl_ring_first (r), 13);
    s_held (r, 13, 85);
    gl_ring_destroy (&r);
}

/*  Many laps of messages of every size through a small buffer: what is
 *  held is always a run of the most recent, intact, and as many as fit.   */
static void
test_ring_laps (void **state)
{
    (void) state;
    gl_ring_t *r = gl_ring_new (64, 4096);
    uint64_t x = 88172645463325252u;
    size_t sizes[5001];
    for (uint64_t seq = 1; seq <= 5000; seq++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        sizes[seq] = x % 700;
        s_put (r, seq, seq, sizes[seq]);
        uint64_t first = gl_ring_first (r);
        assert_int_equal (gl_ring_last (r), seq);
        assert_true (first >= 1 && first <= seq && seq - first < 64);
        size_t held = 0;
        for (uint64_t k = first; k <= seq; k++) {
            s_held (r, k, sizes[k]);
            held += sizes[k] + 15;
        }
        assert_int_equal (gl_ring_bytes (r), held);
        /* Nothing is dropped early: what is lost to the log's layout is at
         * most the tail skipped at a wrap and the gap before the oldest,
         * each less than one message (at most 714 bytes). */
        if (first > 1)
            assert_true (held >= 4096 - 2 * 714);
    }
    gl_ring_destroy (&r);
}

/*  A skipped seq starts the ring anew; an old seq is refused.             */
static void
test_ring_skip (void **state)
{
    (void) state;
    gl_ring_t *r = gl_ring_new (10, 4096);
    s_put (r, 1, 11, 8);
    s_put (r, 2, 22, 8);
    s_put (r, 5, 55, 8);
    assert_int_equal (gl_ring_first (r), 5);
    gl_ring_entry_t e;
    assert_false (gl_ring_find (r, 11, &e));
    assert_true (gl_ring_find (r, 55, &e));
    assert_int_equal (gl_ring_put (r, 5, 0, "t", 1, "abcd", 4), -1);
    assert_int_equal (gl_ring_put (r, 3, 0, "t", 1, "abcd", 4), -1);
    gl_ring_destroy (&r);
}

/*  Keys that collide in the index: deletion (backward shift) keeps every
 *  other key reachable.  The index has 32 slots for a ring of 16; keys
 *  that are multiples of 32 share a home slot.                             */
static void
test_ring_collisions (void **state)
{
    (void) state;
    gl_ring_t *r = gl_ring_new (16, 4096);
    gl_ring_entry_t e;
    for (uint64_t seq = 1; seq <= 64; seq++) {
        s_put (r, seq, seq << 40, 8);   /* low bits 0: one home slot */
        for (uint64_t k = seq > 16 ? seq - 15 : 1; k <= seq; k++) {
            assert_true (gl_ring_find (r, k << 40, &e));
            assert_int_equal (e.seq, k);
        }
        if (seq > 16)
            assert_false (gl_ring_find (r, (seq - 16) << 40, &e));
    }
    gl_ring_destroy (&r);
}

static void
test_ring_key (void **state)
{
    (void) state;
    uint64_t a = gl_ring_key ("s", 1, "id", 2, "body", 4);
    assert_true (a != 0);
    assert_true (a == gl_ring_key ("s", 1, "id", 2, "body", 4));
    /* Where one field ends and the next begins counts. */
    assert_true (a != gl_ring_key ("si", 2, "d", 1, "body", 4));
    assert_true (a != gl_ring_key ("s", 1, "id", 2, "bodz", 4));
    assert_true (a != gl_ring_key (NULL, 0, "id", 2, "body", 4));
}

/*  The token bucket: a burst, then one per 1/rate seconds.                 */
static void
test_rate (void **state)
{
    (void) state;
    gl_rate_t *r = gl_rate_new ();
    bool unmetered;
    double t = 1000.0;
    for (int i = 0; i < 5; i++)
        assert_int_equal (gl_rate_take (r, "A", 1, t, 10, 5, &unmetered), 0);
    /* Empty: the next token in 100 ms. */
    assert_int_equal (gl_rate_take (r, "A", 1, t, 10, 5, &unmetered), 100);
    /* (half a token missing; 1000.05 - 1000 is a hair under 0.05) */
    assert_in_range (gl_rate_take (r, "A", 1, t + 0.05, 10, 5, &unmetered), 50, 51);
    assert_int_equal (gl_rate_take (r, "A", 1, t + 0.1, 10, 5, &unmetered), 0);
    /* Another peer has its own bucket. */
    assert_int_equal (gl_rate_take (r, "B", 1, t + 0.1, 10, 5, &unmetered), 0);
    /* No limit. */
    assert_int_equal (gl_rate_take (r, "A", 1, t + 0.1, 0, 5, &unmetered), 0);
    /* Many peers: idle ones are forgotten, the table keeps working. */
    char id[16];
    for (int i = 0; i < 200000; i++) {
        int n = snprintf (id, sizeof id, "p%d", i);
        assert_int_equal (gl_rate_take (r, id, (size_t) n, t + 1 + i * 0.001, 10,
                                        5, &unmetered), 0);
        assert_false (unmetered);
    }
    gl_rate_destroy (&r);
    assert_null (r);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_ring_count),
        cmocka_unit_test (test_ring_bytes),
        cmocka_unit_test (test_ring_laps),
        cmocka_unit_test (test_ring_skip),
        cmocka_unit_test (test_ring_collisions),
        cmocka_unit_test (test_ring_key),
        cmocka_unit_test (test_rate),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
