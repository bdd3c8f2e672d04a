/*  gidlint-bench: measures the engine and the daemon.
 *
 *      gidlint-bench engine [--docs N] [--runs R] [--seeds DIR]
 *      gidlint-bench daemon [--transport tcp|ipc|both] [--runs R] [--workers W]
 *                           [--daemon PATH] [--docs N] [--csv FILE]
 *                           [--broker N [--broker-bin PATH]]
 *      gidlint-bench all    [any of the above]
 *
 *  engine: generates N reports in memory (gl_gen.h; default 2000, mixed
 *  layouts and both editions, no defects), lints them all on one thread R
 *  times (default 5) and prints, for each run and then the median, the MB
 *  linted (1 MB = 10^6 bytes), the seconds, MB/s and documents/s.  Then the
 *  same over the files of DIR (default examples/reports), repeated to at
 *  least 2 MB of input.
 *
 *  daemon: runs the real gidlintd (default: the one next to this program)
 *  and measures it end to end, with the engine alone and raw libzmq as
 *  ceilings in the same run; gl_bench_daemon.c says how.  N (default
 *  20000) documents per measurement, R (default 3) runs per transport
 *  (default both), W (default one per core) workers.  With --broker N,
 *  the same against a gidlint-broker (default: the one next to the
 *  gidlintd) and N daemons behind it, W (default 1) workers each.
 *
 *  all: engine (its own N, 2000) then daemon over both transports.
 *
 *  A measurement program: it prints targets next to the figures but
 *  asserts nothing about time.
 */
#include "gl_bench.h"
#include "gl_bench_daemon.h"
#include "gl_gen.h"

#include "gidlint/gidlint.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct {
    char *bytes;
    size_t len;
} bench_doc_t;

typedef struct {
    double mb, secs, mbps, dps;
} bench_run_t;

static double
now_secs (void)
{
    struct timespec ts;
    clock_gettime (CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

static void
print_machine (int runs)
{
    gl_bench_print_machine (stdout);
    printf ("runs: %d, one thread, gidlint %s\n", runs, GL_VERSION_STRING);
}

static int
cmp_double (const void *a, const void *b)
{
    double x = *(const double *) a, y = *(const double *) b;
    return (x > y) - (x < y);
}

static double
median (double *v, int n)
{
    qsort (v, (size_t) n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/*  Lints every document once; returns false on an engine error.  Adds the
 *  diagnostics found to *diags.                                           */
static bool
lint_all (const gl_engine_t *e, const bench_doc_t *docs, size_t n,
          size_t *diags)
{
    for (size_t i = 0; i < n; i++) {
        gl_doc_t *doc = NULL;
        if (gl_engine_lint (e, docs[i].bytes, docs[i].len, GL_LANG_ZH, &doc) != GL_OK)
            return false;
        size_t k;
        (void) gl_doc_diags (doc, &k);
        *diags += k;
        gl_doc_destroy (&doc);
    }
    return true;
}

static int
measure (const char *what, const gl_engine_t *e, const bench_doc_t *docs,
         size_t n, int runs)
{
    size_t bytes = 0;
    for (size_t i = 0; i < n; i++)
        bytes += docs[i].len;
    double mb = (double) bytes / 1e6;
    printf ("\n%s: %zu documents, %.2f MB\n", what, n, mb);
    double *secs = calloc ((size_t) runs, sizeof *secs);
    double *mbps = calloc ((size_t) runs, sizeof *mbps);
    double *dps = calloc ((size_t) runs, sizeof *dps);
    if (!secs || !mbps || !dps) {
        fprintf (stderr, "gidlint-bench: out of memory\n");
        return 1;
    }
    size_t diags = 0;
    for (int r = 0; r < runs; r++) {
        size_t d = 0;
        double t0 = now_secs ();
        if (!lint_all (e, docs, n, &d)) {
            fprintf (stderr, "gidlint-bench: the engine failed\n");
            return 1;
        }
        double t = now_secs () - t0;
        if (t <= 0)
            t = 1e-9;
        secs[r] = t;
        mbps[r] = mb / t;
        dps[r] = (double) n / t;
        diags = d;
        printf ("  run %d: %8.2f MB %8.3f s %9.2f MB/s %10.1f docs/s\n", r + 1,
                mb, t, mbps[r], dps[r]);
    }
    printf ("  median: %7.2f MB %8.3f s %9.2f MB/s %10.1f docs/s\n", mb,
            median (secs, runs), median (mbps, runs), median (dps, runs));
    printf ("  diagnostics per run: %zu\n", diags);
    free (secs);
    free (mbps);
    free (dps);
    return 0;
}

static char *
read_file (const char *path, size_t *len)
{
    FILE *f = fopen (path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n + 65536 > cap) {
            cap = (n + 65536) * 2;
            char *p = realloc (buf, cap);
            if (!p) {
                free (buf);
                fclose (f);
                return NULL;
            }
            buf = p;
        }
        size_t k = fread (buf + n, 1, cap - n, f);
        n += k;
        if (k == 0)
            break;
    }
    fclose (f);
    *len = n;
    return buf;
}

static int
cmp_str (const void *a, const void *b)
{
    return strcmp (*(char *const *) a, *(char *const *) b);
}

/*  The regular files of dir, sorted by name.                           */
static int
bench_seeds (const gl_engine_t *e, const char *dir, int runs)
{
    DIR *d = opendir (dir);
    if (!d) {
        printf ("\nseeds: cannot open %s, skipped\n", dir);
        return 0;
    }
    char **names = NULL;
    size_t nn = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir (d))) {
        if (de->d_name[0] == '.')
            continue;
        if (nn == cap) {
            cap = cap ? cap * 2 : 16;
            char **p = realloc (names, cap * sizeof *names);
            if (!p)
                break;
            names = p;
        }
        names[nn++] = strdup (de->d_name);
    }
    closedir (d);
    if (nn)
        qsort (names, nn, sizeof *names, cmp_str);
    bench_doc_t *files = calloc (nn ? nn : 1, sizeof *files);
    size_t nf = 0, total = 0;
    for (size_t i = 0; i < nn; i++) {
        char path[4096];
        snprintf (path, sizeof path, "%s/%s", dir, names[i]);
        size_t len = 0;
        char *b = read_file (path, &len);
        if (b && len) {
            files[nf].bytes = b;
            files[nf].len = len;
            nf++;
            total += len;
        }
        else
            free (b);
        free (names[i]);
    }
    free (names);
    int rc = 0;
    if (!nf)
        printf ("\nseeds: no files in %s, skipped\n", dir);
    else {
        /* Repeat the files (sharing their bytes) to at least 2 MB. */
        size_t reps = (2000000 + total - 1) / total;
        bench_doc_t *docs = calloc (nf * reps, sizeof *docs);
        if (!docs) {
            fprintf (stderr, "gidlint-bench: out of memory\n");
            rc = 1;
        }
        else {
            for (size_t k = 0; k < reps; k++)
                memcpy (docs + k * nf, files, nf * sizeof *files);
            char what[4200];
            snprintf (what, sizeof what, "seeds (%s: %zu files x %zu)", dir, nf, reps);
            rc = measure (what, e, docs, nf * reps, runs);
            free (docs);
        }
    }
    for (size_t i = 0; i < nf; i++)
        free (files[i].bytes);
    free (files);
    return rc;
}

static void
usage (FILE *f)
{
    fprintf (f,
             "usage: gidlint-bench engine [--docs N] [--runs R] [--seeds DIR]\n"
             "       gidlint-bench daemon [--transport tcp|ipc|both] [--runs R] [--workers W]\n"
             "                            [--daemon PATH] [--docs N] [--csv FILE]\n"
             "                            [--broker N [--broker-bin PATH]]\n"
             "       gidlint-bench all [the options of both]\n");
}

/*  The engine part; ndocs and runs as given.                              */
static int
engine_main (long ndocs, long runs, const char *seeds)
{
    print_machine ((int) runs);
    gl_engine_t *e = gl_engine_new ();
    bench_doc_t *docs = calloc ((size_t) ndocs, sizeof *docs);
    if (!e || !docs) {
        fprintf (stderr, "gidlint-bench: out of memory\n");
        return 1;
    }
    size_t per_layout[GL_GEN_LAYOUT_COUNT] = { 0 }, per_edition[2] = { 0 };
    for (long i = 0; i < ndocs; i++) {
        gl_gen_expect_t ex;
        docs[i].bytes = gl_gen_report ((uint64_t) i + 1, NULL, &docs[i].len, &ex);
        if (!docs[i].bytes) {
            fprintf (stderr, "gidlint-bench: out of memory\n");
            return 1;
        }
        per_layout[ex.layout]++;
        per_edition[ex.edition == 2021]++;
    }
    char what[256];
    snprintf (what, sizeof what,
              "generated (seeds 1..%ld; cells %zu, tabs %zu, pipes %zu, spaces %zu; "
              "edition 2019 %zu, 2021 %zu)",
              ndocs, per_layout[GL_GEN_LAYOUT_CELLS], per_layout[GL_GEN_LAYOUT_TABS],
              per_layout[GL_GEN_LAYOUT_PIPES], per_layout[GL_GEN_LAYOUT_SPACES],
              per_edition[0], per_edition[1]);
    int rc = measure (what, e, docs, (size_t) ndocs, (int) runs);
    for (long i = 0; i < ndocs; i++)
        free (docs[i].bytes);
    free (docs);
    if (rc == 0)
        rc = bench_seeds (e, seeds, (int) runs);
    gl_engine_destroy (&e);
    return rc;
}

int
main (int argc, char **argv)
{
    if (argc < 2) {
        usage (stderr);
        return 2;
    }
    const char *mode = argv[1];
    bool engine = !strcmp (mode, "engine"), daemon = !strcmp (mode, "daemon");
    if (!strcmp (mode, "all"))
        engine = daemon = true;
    else if (!strcmp (mode, "--help") || !strcmp (mode, "-h")) {
        usage (stdout);
        return 0;
    }
    if (!engine && !daemon) {
        usage (stderr);
        return 2;
    }
    long ndocs = -1, runs = -1, workers = 0, daemons = 0;
    const char *seeds = "examples/reports";
    gl_bench_daemon_opts_t dopts = { .transports = 3, .argv0 = argv[0] };
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v) {
            usage (stderr);
            return 2;
        }
        i++;
        bool ok = true;
        if (!strcmp (a, "--docs"))
            ok = gl_bench_parse_long (v, 1, 100000000L, &ndocs);
        else if (!strcmp (a, "--runs"))
            ok = gl_bench_parse_long (v, 1, 1000, &runs);
        else if (!strcmp (a, "--seeds") && engine)
            seeds = v;
        else if (!strcmp (a, "--workers") && daemon)
            ok = gl_bench_parse_long (v, 1, 256, &workers);
        else if (!strcmp (a, "--daemon") && daemon)
            dopts.daemon = v;
        else if (!strcmp (a, "--broker") && daemon)
            ok = gl_bench_parse_long (v, 1, GL_BENCH_DAEMONS_MAX, &daemons);
        else if (!strcmp (a, "--broker-bin") && daemon)
            dopts.broker = v;
        else if (!strcmp (a, "--csv") && daemon)
            dopts.csv = v;
        else if (!strcmp (a, "--transport") && daemon) {
            /* A bit per transport; "both" is both. */
            gl_bench_transport_t t;
            if (!strcmp (v, "both"))
                dopts.transports = 3;
            else if ((ok = gl_bench_transport_parse (v, &t)))
                dopts.transports = 1u << t;
        }
        else
            ok = false;
        if (!ok) {
            usage (stderr);
            return 2;
        }
    }

    if (dopts.broker && !daemons) {
        usage (stderr);             /* --broker-bin without --broker */
        return 2;
    }
    int rc = 0;
    if (engine && !daemon)
        return engine_main (ndocs > 0 ? ndocs : 2000, runs > 0 ? runs : 5, seeds);
    if (engine) {
        printf ("== engine, one thread ==\n");
        rc = engine_main (2000, runs > 0 ? runs : 5, seeds);
        printf ("\n== daemon ==\n");
    }
    else
        gl_bench_print_machine (stdout);
    dopts.runs = runs > 0 ? (int) runs : 3;
    dopts.workers = (int) workers;
    dopts.daemons = (int) daemons;
    dopts.docs = ndocs > 0 ? (size_t) ndocs : 20000;
    int drc = gl_bench_daemon_run (&dopts);
    return rc ? rc : drc;
}
