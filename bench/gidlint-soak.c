/*  gidlint-soak: a long run of gidlintd, for memory growth and lost results.
 *
 *      gidlint-soak [--docs N] [--warmup N] [--window N] [--settle S] [--workers W]
 *                   [--daemon PATH] [--transport tcp|ipc]
 *      gidlint-soak --ingest EP --results EP [--pid PID] [--docs N] ...
 *
 *  Starts a gidlintd (default: the one next to this program) on fresh
 *  endpoints, or, with --ingest and --results, uses a running one (and
 *  reads its memory when --pid names it).  Sends --warmup (default 10,000)
 *  generated documents as fast as the daemon takes them (so that its
 *  queues reach their high-water marks: the memory they hold is then in
 *  the first reading), reads the daemon's VmRSS, sends N more (default
 *  1,000,000), each with its own id, and reads VmRSS again; each reading
 *  is taken --settle seconds (default 2) after the last result, once the
 *  daemon is idle and has given back what it gives back.  Prints both,
 *  the growth in %, the documents per second and the results that never
 *  came, and the trend of VmRSS over the progress lines (one per 100,000
 *  documents), which tells a leak from the allocator's ups and downs
 *  better than two readings do.  A subscriber counts results as they arrive; the producer keeps at
 *  most --window (default 1,000) documents unanswered, so that a result is
 *  never dropped because this program fell behind (the daemon's PUB
 *  high-water mark is 10,000 by default): every missing result is the
 *  daemon's.
 *
 *  Exit status 0 when every result came back and the growth is under 5 %,
 *  1 otherwise, 2 for a usage error.  Not part of the test suite: a run
 *  takes minutes.
 */
#include "gl_bench.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zmq.h>

#define POOL 1000
#define TARGET_GROWTH 5.0       /* %                                         */
#define PROGRESS_EVERY 100000
#define MAX_POINTS 10000

/*  The daemon's VmRSS at each progress line, for the trend.               */
static double s_x[MAX_POINTS], s_y[MAX_POINTS];
static size_t s_np;

/*  Least-squares slope of y against x, or 0 with fewer than 3 points.    */
static double
s_slope (const double *x, const double *y, size_t n)
{
    if (n < 3)
        return 0;
    double mx = 0, my = 0, sxx = 0, sxy = 0;
    for (size_t i = 0; i < n; i++) {
        mx += x[i];
        my += y[i];
    }
    mx /= (double) n;
    my /= (double) n;
    for (size_t i = 0; i < n; i++) {
        sxx += (x[i] - mx) * (x[i] - mx);
        sxy += (x[i] - mx) * (y[i] - my);
    }
    return sxx > 0 ? sxy / sxx : 0;
}

static void
usage (FILE *f)
{
    fprintf (f,
             "usage: gidlint-soak [--docs N] [--warmup N] [--window N] [--settle S] [--workers W]\n"
             "                    [--daemon PATH] [--transport tcp|ipc]\n"
             "       gidlint-soak --ingest EP --results EP [--pid PID] [--docs N] ...\n");
}

/*  Sends n documents keeping at most window unanswered; returns the number
 *  of results received.  With progress, prints a line every 100,000.      */
static size_t
s_send (gl_bench_sess_t *s, const gl_bench_doc_t *pool, size_t n, size_t window,
        pid_t pid, bool progress)
{
    gl_bench_sess_begin (s, n);
    double t0 = gl_bench_now ();
    size_t answered = 0;
    for (size_t i = 0; i < n; i++) {
        while (i - answered >= window) {
            answered = gl_bench_sess_count (s);
            if (i - answered >= window)
                gl_bench_sleep_until (gl_bench_now () + 0.0002);
        }
        if (gl_bench_sess_send (s, i, &pool[i % POOL]) < 0) {
            fprintf (stderr, "gidlint-soak: send failed: %s\n", zmq_strerror (zmq_errno ()));
            break;
        }
        if (progress && (i + 1) % PROGRESS_EVERY == 0) {
            double t = gl_bench_now () - t0;
            long kb = pid > 0 ? gl_bench_proc_kb (pid, "VmRSS") : -1;
            printf ("  %8zu sent, %8zu answered, %7.1f s, %7.0f docs/s, daemon VmRSS %.1f MB\n",
                    i + 1, gl_bench_sess_count (s), t, (double) (i + 1) / t,
                    kb >= 0 ? kb / 1024.0 : -1.0);
            fflush (stdout);
            if (kb >= 0 && s_np < MAX_POINTS) {
                s_x[s_np] = (double) (i + 1);
                s_y[s_np++] = kb / 1024.0;
            }
        }
    }
    return gl_bench_sess_end (s, 10);
}

int
main (int argc, char **argv)
{
    long docs = 1000000, warmup = 10000, window = 1000, workers = 0, pid = 0;
    double settle = 2;
    const char *daemon = NULL, *ingest = NULL, *results = NULL;
    gl_bench_transport_t transport = GL_BENCH_TCP;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp (a, "--help") || !strcmp (a, "-h")) {
            usage (stdout);
            return 0;
        }
        const char *v = i + 1 < argc ? argv[++i] : NULL;
        bool ok = v != NULL;
        if (!ok)
            ;
        else if (!strcmp (a, "--docs"))
            ok = gl_bench_parse_long (v, 1, 1000000000L, &docs);
        else if (!strcmp (a, "--warmup"))
            ok = gl_bench_parse_long (v, 1, 100000000L, &warmup);
        else if (!strcmp (a, "--window"))
            ok = gl_bench_parse_long (v, 1, 1000000L, &window);
        else if (!strcmp (a, "--workers"))
            ok = gl_bench_parse_long (v, 1, 256, &workers);
        else if (!strcmp (a, "--settle")) {
            char *end = NULL;
            settle = strtod (v, &end);
            ok = end != v && !*end && settle >= 0 && settle <= 3600;
        }
        else if (!strcmp (a, "--pid"))
            ok = gl_bench_parse_long (v, 1, 1L << 30, &pid);
        else if (!strcmp (a, "--daemon"))
            daemon = v;
        else if (!strcmp (a, "--ingest"))
            ingest = v;
        else if (!strcmp (a, "--results"))
            results = v;
        else if (!strcmp (a, "--transport"))
            ok = gl_bench_transport_parse (v, &transport);
        else
            ok = false;
        if (!ok) {
            usage (stderr);
            return 2;
        }
    }
    if (!ingest != !results) {
        usage (stderr);
        return 2;
    }

    gl_bench_print_machine (stdout);
    gl_bench_daemon_t d;
    memset (&d, 0, sizeof d);
    char path[4096] = "";
    if (!ingest) {
        if (!daemon) {
            if (gl_bench_default_daemon (argv[0], path, sizeof path) != 0) {
                fprintf (stderr, "gidlint-soak: no gidlintd next to this program; use --daemon\n");
                return 1;
            }
            daemon = path;
        }
        long cores = sysconf (_SC_NPROCESSORS_ONLN);
        int w = workers > 0 ? (int) workers : (int) (cores > 0 ? cores : 1);
        if (gl_bench_daemon_start (&d, daemon, NULL, 1, transport, w, NULL, 30) != 0)
            return 1;
        ingest = d.ingest;
        results = d.results;
        pid = d.procs[0].pid;
        printf ("daemon: %s (pid %ld), %d worker%s, %s\n", daemon, pid, w, w == 1 ? "" : "s",
                ingest);
    }
    else
        printf ("daemon: %s, %s (pid %s)\n", ingest, results,
                pid > 0 ? "given" : "unknown: no memory figures");
    printf ("documents: %ld after a warm-up of %ld, at most %ld unanswered\n", docs, warmup,
            window);
    fflush (stdout);

    int rc = 1;
    void *ctx = zmq_ctx_new ();
    gl_bench_doc_t *pool = gl_bench_docs_new (POOL, 1);
    size_t cap = (size_t) (docs > warmup ? docs : warmup);
    gl_bench_sess_t *s = ctx && pool ? gl_bench_sess_open (ctx, ingest, results, cap) : NULL;
    if (!s || gl_bench_sess_probe (s, &pool[0], 1, 30) != 0)
        goto out;

    /* The warm-up is open loop: the queues (the producer's, the daemon's
       ingest, the documents in flight) fill to their high-water marks, so
       the memory they take is in the first reading; the measured part keeps
       them lower, and what it adds is what the daemon keeps. */
    size_t got = s_send (s, pool, (size_t) warmup, (size_t) warmup, (pid_t) pid, false);
    gl_bench_sleep_until (gl_bench_now () + settle);
    long rss0 = pid > 0 ? gl_bench_proc_kb ((pid_t) pid, "VmRSS") : -1;
    printf ("warm-up: %ld sent, %zu answered; daemon VmRSS %.1f MB\n", warmup, got,
            rss0 / 1024.0);
    fflush (stdout);

    double t0 = gl_bench_now ();
    got = s_send (s, pool, (size_t) docs, (size_t) window, (pid_t) pid, true);
    double secs = gl_bench_now () - t0;
    gl_bench_sleep_until (gl_bench_now () + settle);
    long rss1 = pid > 0 ? gl_bench_proc_kb ((pid_t) pid, "VmRSS") : -1;
    long hwm = pid > 0 ? gl_bench_proc_kb ((pid_t) pid, "VmHWM") : -1;
    size_t missing = (size_t) docs - got;
    printf ("\nsent %ld documents in %.1f s: %.0f docs/s\n", docs, secs, (double) docs / secs);
    printf ("results missing: %zu; rejects: %zu\n", missing, gl_bench_sess_rejects (s));
    rc = missing ? 1 : 0;
    if (rss0 > 0 && rss1 > 0) {
        double growth = 100.0 * (double) (rss1 - rss0) / (double) rss0;
        printf ("daemon VmRSS: %.1f MB at the start, %.1f MB at the end, growth %+.2f %%"
                " (target < %.0f %%: %s); peak (VmHWM) %.1f MB\n",
                rss0 / 1024.0, rss1 / 1024.0, growth, TARGET_GROWTH,
                growth < TARGET_GROWTH ? "met" : "MISSED", hwm / 1024.0);
        if (growth >= TARGET_GROWTH)
            rc = 1;
    }
    if (s_np >= 3) {
        double lo = s_y[0], hi = s_y[0];
        for (size_t i = 1; i < s_np; i++) {
            lo = s_y[i] < lo ? s_y[i] : lo;
            hi = s_y[i] > hi ? s_y[i] : hi;
        }
        printf ("daemon VmRSS at the %zu progress lines: %.1f to %.1f MB, trend %+.3f MB"
                " per 100,000 documents (least squares)\n",
                s_np, lo, hi, s_slope (s_x, s_y, s_np) * PROGRESS_EVERY);
    }
out:
    gl_bench_sess_close (s);
    if (ctx)
        zmq_ctx_term (ctx);
    gl_bench_docs_free (pool, pool ? POOL : 0);
    if (d.n_procs > 0) {
        int st = gl_bench_daemon_stop (&d, 60);
        if (st != 0) {
            fprintf (stderr, "gidlint-soak: the daemon exited with status %d\n", st);
            rc = 1;
        }
    }
    return rc;
}
