/*  gidlint.c: the gidlint command-line client.
 *
 *      gidlint check [--format text|json] [--lang zh|en] [--disable RULES]
 *                    [--max-bytes N] FILE... | -
 *      gidlint push [--source NAME] [--lang zh|en] [--wait] [--timeout SEC]
 *                   [--format text|json] FILE... | DIR
 *      gidlint watch [--errors|--warnings|--rejects] [--source NAME]
 *                    [--stats] [--format text|json] [--count N]
 *                    [--timeout SEC]
 *      gidlint stats [--format text|json] [--timeout SEC]
 *      gidlint health [--format text|json] [--timeout SEC]
 *      gidlint rules [--lang zh|en] [RULE...]
 *      gidlint keygen [--force] NAME
 *
 *  push, watch, stats and health also take --server-key FILE --key FILE for
 *  a daemon with CURVE on; s_secure() sets them on every socket.
 *
 *  check lints in process (it links the engine); push, watch, stats and
 *  health talk to gidlintd over ZeroMQ (docs/protocol.md).  Output follows
 *  other linters: compiler-style text lines (file:line:col: severity CODE
 *  message) or JSON Lines, one object per document.  Whether a document was
 *  linted here or by the daemon, it reaches the printer the same way: as
 *  the JSON object of `check --format json` (gl_json.c makes it from a
 *  linted document, gl_cli_msgpack_json() from a result the daemon sent),
 *  and one function, s_emit_doc(), prints and counts it.  So `push --wait`
 *  prints exactly what `check` prints for the same file.
 *
 *  Exit status: 0 no error found, 1 an error-severity diagnostic in some
 *  file, 2 a usage, I/O or connection error (2 wins over 1); watch exits 3
 *  when nothing arrives within --timeout.
 *
 *  The options of each command are one table (s_check_opts, …) from which
 *  both getopt_long's arguments and the --help text are made, so the two
 *  cannot disagree.
 */
#include <gidlint/gidlint.h>

#include "gl_cert.h"
#include "gl_json.h"
#include "gl_wire.h"
#include <gidlint/gl_producer.h>

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

enum {
    GL_EXIT_OK = 0,
    GL_EXIT_ERRORS = 1,
    GL_EXIT_USAGE = 2,
    GL_EXIT_TIMEOUT = 3         /* watch: nothing within --timeout           */
};

/*  The daemon's endpoints unless a flag or the environment says otherwise. */
#define S_DEFAULT_INGEST "tcp://127.0.0.1:7401"
#define S_DEFAULT_RESULTS "tcp://127.0.0.1:7402"
#define S_DEFAULT_CONTROL "tcp://127.0.0.1:7403"

/*  How long closing the ingest socket may wait for the documents queued on
 *  it to reach the daemon.                                                 */
#define S_PUSH_LINGER_MS 10000

/*  ---------------------------------------------------------------------
 *  Option tables.                                                        */

enum {
    OPT_FORMAT = 'f',
    OPT_LANG = 'l',
    OPT_DISABLE = 'd',
    OPT_HELP = 'h',
    OPT_MAX_BYTES = 256,        /* long only                                 */
    OPT_MARKDOWN,
    OPT_SOURCE,
    OPT_WAIT,
    OPT_TIMEOUT,
    OPT_INGEST,
    OPT_RESULTS,
    OPT_CONTROL,
    OPT_ERRORS,
    OPT_WARNINGS,
    OPT_REJECTS,
    OPT_STATS,
    OPT_COUNT,
    OPT_RESEND,
    OPT_WINDOW,
    OPT_NO_RECOVER,
    OPT_DAEMON,
    OPT_SERVER_KEY,
    OPT_KEY,
    OPT_FORCE
};

typedef struct {
    const char *name;           /* long name                                 */
    int key;                    /* short letter when < 256                   */
    const char *arg;            /* argument name in --help, NULL for a flag  */
    const char *help;           /* NULL: accepted but not listed (internal)  */
} s_opt_t;

#define S_MAX_OPTS 16

/*  CURVE, for every command that connects to the daemon (s_secure()).     */
#define S_CURVE_HELP                                                          \
    "CURVE: --server-key and --key, else $GIDLINT_SERVER_KEY and "            \
    "$GIDLINT_KEY;\nwithout them, plain.\n"
#define S_CURVE_OPTS                                                          \
    { "server-key", OPT_SERVER_KEY, "FILE", "the daemon's public "           \
                                            "certificate (CURVE)" },         \
    { "key", OPT_KEY, "FILE", "own secret certificate (CURVE)" }

static const s_opt_t s_check_opts[] = {
    { "format", OPT_FORMAT, "FMT", "text (default) or json (JSON Lines)" },
    { "lang", OPT_LANG, "LANG", "messages in zh (default) or en" },
    { "disable", OPT_DISABLE, "RULES", "turn rules off: codes or names, "
                                       "comma-separated" },
    { "max-bytes", OPT_MAX_BYTES, "N", "larger inputs get GID003 "
                                       "(default 16777216)" },
    { "help", OPT_HELP, NULL, "show this help" },
    { NULL, 0, NULL, NULL }
};

static const s_opt_t s_push_opts[] = {
    { "source", OPT_SOURCE, "NAME", "producer name, part of the results' "
                                    "topic" },
    { "lang", OPT_LANG, "LANG", "messages in zh (default) or en" },
    { "wait", OPT_WAIT, NULL, "lint via control, print as 'check' does" },
    { "timeout", OPT_TIMEOUT, "SEC", "wait for delivery, or with --wait for "
                                     "each answer (default 30 s)" },
    { "resend", OPT_RESEND, "SEC", "with --wait: resend a document not "
                                   "answered within SEC (default 5, doubling)" },
    { "window", OPT_WINDOW, "N", "with --wait: documents in flight at once "
                                 "(default 16)" },
    { "format", OPT_FORMAT, "FMT", "with --wait: text (default) or json" },
    { "ingest", OPT_INGEST, "EP", "ingest endpoint (without --wait)" },
    { "control", OPT_CONTROL, "EP", "control endpoint (with --wait)" },
    S_CURVE_OPTS,
    { "help", OPT_HELP, NULL, "show this help" },
    { NULL, 0, NULL, NULL }
};

static const s_opt_t s_watch_opts[] = {
    { "errors", OPT_ERRORS, NULL, "results with errors" },
    { "warnings", OPT_WARNINGS, NULL, "results with warnings or errors" },
    { "rejects", OPT_REJECTS, NULL, "rejected messages" },
    { "source", OPT_SOURCE, "NAME", "only documents from this producer "
                                    "(repeatable)" },
    { "stats", OPT_STATS, NULL, "the daemon's periodic stats as well" },
    { "format", OPT_FORMAT, "FMT", "text (default) or json (one object per "
                                   "message)" },
    { "lang", OPT_LANG, "LANG", "framing of expected/actual: zh (default) "
                                "or en" },
    { "count", OPT_COUNT, "N", "exit after N messages" },
    { "timeout", OPT_TIMEOUT, "SEC", "exit 3 when no message arrives for "
                                     "SEC seconds" },
    { "results", OPT_RESULTS, "EP", "results endpoint" },
    { "control", OPT_CONTROL, "EP", "control endpoint, to recover missed "
                                    "messages" },
    { "no-recover", OPT_NO_RECOVER, NULL, "report gaps, do not ask for the "
                                          "missed messages" },
    S_CURVE_OPTS,
    { "help", OPT_HELP, NULL, "show this help" },
    { NULL, 0, NULL, NULL }
};

static const s_opt_t s_ask_opts[] = {
    { "format", OPT_FORMAT, "FMT", "text (default) or json" },
    { "timeout", OPT_TIMEOUT, "SEC", "give up after SEC seconds "
                                     "(default 5)" },
    { "control", OPT_CONTROL, "EP", "control endpoint" },
    { "daemon", OPT_DAEMON, "NAME", "ask the daemon of this name (--control "
                                    "then names gidlint-broker's route "
                                    "endpoint)" },
    S_CURVE_OPTS,
    { "help", OPT_HELP, NULL, "show this help" },
    { NULL, 0, NULL, NULL }
};

static const s_opt_t s_keygen_opts[] = {
    { "force", OPT_FORCE, NULL, "replace NAME.key and NAME.key_secret if "
                                "they exist" },
    { "help", OPT_HELP, NULL, "show this help" },
    { NULL, 0, NULL, NULL }
};

static const s_opt_t s_rules_opts[] = {
    { "lang", OPT_LANG, "LANG", "summaries in zh (default) or en" },
    { "markdown", OPT_MARKDOWN, NULL, NULL },   /* the README's rule table   */
    { "help", OPT_HELP, NULL, "show this help" },
    { NULL, 0, NULL, NULL }
};

/*  Fills longs (S_MAX_OPTS + 1 entries) and shorts (2 * S_MAX_OPTS + 2
 *  bytes) for getopt_long from table.  A leading ':' makes getopt return ':'
 *  for a missing argument, so that every message is ours.                  */
static void
s_getopt_args (const s_opt_t *table, struct option *longs, char *shorts)
{
    size_t n = 0;
    *shorts++ = ':';
    for (; table[n].name && n < S_MAX_OPTS; n++) {
        longs[n] = (struct option) { table[n].name,
                                     table[n].arg ? required_argument
                                                  : no_argument,
                                     NULL, table[n].key };
        if (table[n].key < 256) {
            *shorts++ = (char) table[n].key;
            if (table[n].arg)
                *shorts++ = ':';
        }
    }
    longs[n] = (struct option) { NULL, 0, NULL, 0 };
    *shorts = '\0';
}

static void
s_print_opts (FILE *out, const s_opt_t *table)
{
    for (const s_opt_t *o = table; o->name; o++) {
        if (!o->help)
            continue;
        char head[40];
        if (o->key < 256)
            snprintf (head, sizeof head, "-%c, --%s%s%s", o->key, o->name,
                      o->arg ? " " : "", o->arg ? o->arg : "");
        else
            snprintf (head, sizeof head, "    --%s%s%s", o->name,
                      o->arg ? " " : "", o->arg ? o->arg : "");
        fprintf (out, "  %-22s%s\n", head, o->help);
    }
}

/*  Reports getopt's '?' or ':' for the option just read; returns 2.        */
static int
s_bad_option (const char *cmd, int c, char **argv)
{
    const char *arg = argv[optind - 1];
    if (c == ':')
        fprintf (stderr, "gidlint %s: option '%s' needs an argument\n", cmd,
                 arg);
    else if (optopt && optopt < 256)
        fprintf (stderr, "gidlint %s: unknown option '-%c'\n", cmd, optopt);
    else
        fprintf (stderr, "gidlint %s: unknown option '%s'\n", cmd, arg);
    fprintf (stderr, "Try 'gidlint %s --help'.\n", cmd);
    return GL_EXIT_USAGE;
}

/*  One of two words (case aside): *out is 0 for the first, 1 for the
 *  second.  Otherwise a message naming what was wanted, and false.        */
static bool
s_parse_pair (const char *cmd, const char *what, const char *arg,
              const char *first, const char *second, int *out)
{
    if (strcasecmp (arg, first) == 0)
        *out = 0;
    else if (strcasecmp (arg, second) == 0)
        *out = 1;
    else {
        fprintf (stderr, "gidlint %s: unknown %s '%s' (%s or %s)\n", cmd, what,
                 arg, first, second);
        return false;
    }
    return true;
}

static bool
s_parse_lang (const char *cmd, const char *arg, gl_lang_t *lang)
{
    int k;
    if (!s_parse_pair (cmd, "language", arg, "zh", "en", &k))
        return false;
    *lang = k ? GL_LANG_EN : GL_LANG_ZH;
    return true;
}

typedef enum { S_TEXT, S_JSON } s_format_t;

static bool
s_parse_format (const char *cmd, const char *arg, s_format_t *format)
{
    int k;
    if (!s_parse_pair (cmd, "format", arg, "text", "json", &k))
        return false;
    *format = k ? S_JSON : S_TEXT;
    return true;
}

/*  --timeout: a positive number of seconds, at most a day.                 */
static bool
s_parse_seconds (const char *cmd, const char *arg, double *seconds)
{
    char *end;
    errno = 0;
    double v = strtod (arg, &end);
    if (errno || end == arg || *end || !(v > 0) || v > 86400) {
        fprintf (stderr, "gidlint %s: --timeout wants seconds (a number "
                         "above 0, at most 86400), not '%s'\n", cmd, arg);
        return false;
    }
    *seconds = v;
    return true;
}

/*  --count: a positive whole number.                                       */
static bool
s_parse_count (const char *cmd, const char *arg, unsigned long long *count)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull (arg, &end, 10);
    if (errno || end == arg || *end || *arg == '-' || v == 0) {
        fprintf (stderr, "gidlint %s: --count wants a positive whole "
                         "number, not '%s'\n", cmd, arg);
        return false;
    }
    *count = v;
    return true;
}

/*  Reads all of f into *buf (caller frees) and *len.  Returns 0 or an
 *  errno value.                                                            */
static int
s_read_all (FILE *f, char **buf, size_t *len)
{
    size_t cap = 64 * 1024, n = 0;
    char *data = malloc (cap);
    if (!data)
        return ENOMEM;
    for (;;) {
        n += fread (data + n, 1, cap - n, f);
        if (n < cap)
            break;
        char *bigger = cap <= SIZE_MAX / 2 ? realloc (data, cap * 2) : NULL;
        if (!bigger) {
            free (data);
            return ENOMEM;
        }
        data = bigger;
        cap *= 2;
    }
    if (ferror (f)) {
        int err = errno ? errno : EIO;
        free (data);
        return err;
    }
    *buf = data;
    *len = n;
    return 0;
}

/*  Reads a file ("-": standard input) into *bytes (caller frees).  On
 *  failure says why on stderr and returns false.                           */
static bool
s_load (const char *path, const char *name, char **bytes, size_t *len)
{
    bool is_stdin = strcmp (path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen (path, "rb");
    int err = f ? s_read_all (f, bytes, len) : errno;
    if (f && !is_stdin)
        fclose (f);
    if (err) {
        fprintf (stderr, "gidlint: %s: %s\n", name, strerror (err));
        return false;
    }
    return true;
}

/*  ---------------------------------------------------------------------
 *  Printing documents: shared by check, push --wait and watch.
 *
 *  Everything printed about a document comes from its JSON object, the one
 *  `check --format json` writes: {"file", "title", …, "diagnostics": […]},
 *  each diagnostic with the fields of gl_diag_fields() ("line", "column",
 *  "severity", "code", "message", "expected", "actual", …).              */

typedef struct {
    s_format_t format;
    gl_lang_t lang;
    bool color;                 /* colour the severity word                  */
    size_t n_files;             /* documents printed                         */
    size_t count[GL_SEV_ERROR + 1];     /* diagnostics per severity          */
    bool io_error;              /* a file could not be read or printed, or
                                   the daemon did not answer                 */
} s_out_t;

static void
s_out_init (s_out_t *out, s_format_t format, gl_lang_t lang)
{
    memset (out, 0, sizeof *out);
    out->format = format;
    out->lang = lang;
    const char *no_color = getenv ("NO_COLOR");
    out->color = format == S_TEXT && isatty (STDOUT_FILENO)
                 && !(no_color && *no_color);
}

static const char *
s_sev_color (int sev)
{
    switch (sev) {
    case GL_SEV_ERROR:
        return "\033[1;31m";
    case GL_SEV_WARNING:
        return "\033[1;33m";
    default:
        return "\033[1;36m";
    }
}

/*  A JSON scalar as text (into buf when it is a number); NULL if absent.   */
static const char *
s_json_text (const json_t *v, char *buf, size_t size)
{
    if (json_is_integer (v))
        snprintf (buf, size, "%" JSON_INTEGER_FORMAT, json_integer_value (v));
    else if (json_is_real (v))
        snprintf (buf, size, "%.15g", json_real_value (v));
    else if (json_is_string (v))
        return json_string_value (v);
    else
        return NULL;
    return buf;
}

static const char *
s_json_str (const json_t *obj, const char *key)
{
    const char *s = json_string_value (json_object_get (obj, key));
    return s ? s : "";
}

static json_int_t
s_json_int (const json_t *obj, const char *key)
{
    return json_integer_value (json_object_get (obj, key));
}

/*  One diagnostic, compiler style:
 *      file:line:column: severity CODE message [expected E, actual A]      */
static void
s_print_diag (const s_out_t *out, const char *file, const json_t *d)
{
    const char *sev = s_json_str (d, "severity");
    printf ("%s:%" JSON_INTEGER_FORMAT ":%" JSON_INTEGER_FORMAT ": %s%s%s %s %s",
            file, s_json_int (d, "line"), s_json_int (d, "column"),
            out->color ? s_sev_color (gl_severity_parse (sev)) : "", sev,
            out->color ? "\033[0m" : "", s_json_str (d, "code"),
            s_json_str (d, "message"));
    char eb[48], ab[48];
    const char *exp = s_json_text (json_object_get (d, "expected"), eb, sizeof eb);
    const char *act = s_json_text (json_object_get (d, "actual"), ab, sizeof ab);
    bool en = out->lang == GL_LANG_EN;
    if (exp && act)
        printf (en ? " [expected %s, actual %s]" : " [应为 %s，实际 %s]", exp,
                act);
    else if (exp)
        printf (en ? " [expected %s]" : " [应为 %s]", exp);
    else if (act)
        printf (en ? " [actual %s]" : " [实际 %s]", act);
    putchar ('\n');
}

/*  Prints obj as one line of compact JSON (UTF-8 unescaped); false when it
 *  cannot be encoded.                                                      */
static bool
s_put_json (const json_t *obj)
{
    char *line = obj ? json_dumps (obj, JSON_COMPACT) : NULL;
    if (line)
        puts (line);
    free (line);
    return line != NULL;
}

/*  Flushes standard output; false (with a message) on a write error.       */
static bool
s_flush (void)
{
    if (fflush (stdout) == 0 && !ferror (stdout))
        return true;
    fprintf (stderr, "gidlint: write error: %s\n", strerror (errno));
    return false;
}

/*  Prints a document object (text: its diagnostics; json: the object on one
 *  line) and counts its diagnostics by severity.                          */
static void
s_emit_doc (s_out_t *out, const json_t *doc)
{
    const char *file = s_json_str (doc, "file");
    const json_t *diags = json_object_get (doc, "diagnostics");
    size_t i;
    const json_t *d;
    out->n_files++;
    json_array_foreach (diags, i, d) {
        int sev = gl_severity_parse (s_json_str (d, "severity"));
        if (sev >= GL_SEV_INFO && sev <= GL_SEV_ERROR)
            out->count[sev]++;
        if (out->format == S_TEXT)
            s_print_diag (out, file, d);
    }
    if (out->format == S_JSON && !s_put_json (doc)) {
        fprintf (stderr, "gidlint: %s: cannot encode as JSON\n", file);
        out->io_error = true;
    }
}

static void
s_print_summary (const s_out_t *out)
{
    size_t files = out->n_files, e = out->count[GL_SEV_ERROR],
           w = out->count[GL_SEV_WARNING], i = out->count[GL_SEV_INFO];
    if (out->lang == GL_LANG_EN)
        printf ("%zu file%s checked: %zu error%s, %zu warning%s, %zu info%s\n",
                files, files == 1 ? "" : "s", e, e == 1 ? "" : "s", w,
                w == 1 ? "" : "s", i, i == 1 ? "" : "s");
    else
        printf ("共检查 %zu 个文件：%zu 个错误，%zu 个警告，%zu 个提示\n", files,
                e, w, i);
}

/*  The summary line (text), then the exit status of check and push --wait. */
static int
s_out_finish (s_out_t *out)
{
    if (out->format == S_TEXT)
        s_print_summary (out);
    if (!s_flush ())
        out->io_error = true;
    if (out->io_error)
        return GL_EXIT_USAGE;
    return out->count[GL_SEV_ERROR] ? GL_EXIT_ERRORS : GL_EXIT_OK;
}

/*  ---------------------------------------------------------------------
 *  gidlint check                                                         */

static void
s_check_help (FILE *out)
{
    fputs ("Usage: gidlint check [OPTIONS] FILE... | -\n"
           "\n"
           "Lints each FILE, a government information disclosure annual "
           "report\n(政府信息公开工作年度报告) as text: UTF-8 with or without "
           "BOM, or GB18030.\n'-' reads standard input.\n"
           "\n"
           "Options:\n",
           out);
    s_print_opts (out, s_check_opts);
    fputs ("\nExit status: 0 no error found, 1 errors found, "
           "2 usage or I/O error.\n",
           out);
}

/*  Turns off every rule of a comma-separated list of codes and names.
 *  Returns false (with a message) at the first unknown one.                */
static bool
s_disable (gl_engine_t *engine, const char *list)
{
    const char *p = list;
    while (*p) {
        size_t n = strcspn (p, ",");
        char *name = strndup (p, n);
        if (!name) {
            fprintf (stderr, "gidlint check: out of memory\n");
            return false;
        }
        gl_err_t err = *name ? gl_engine_disable (engine, name) : GL_OK;
        if (err == GL_ENOENT)
            fprintf (stderr, "gidlint check: unknown rule '%s' "
                             "(see 'gidlint rules')\n", name);
        else if (err != GL_OK)
            fprintf (stderr, "gidlint check: %s\n", gl_strerror (err));
        free (name);
        if (err != GL_OK)
            return false;
        p += n + (p[n] == ',');
    }
    return true;
}

static bool
s_parse_size (const char *arg, size_t *size)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull (arg, &end, 10);
    if (errno || end == arg || *end || *arg == '-' || v == 0
        || v > (unsigned long long) SIZE_MAX) {
        fprintf (stderr, "gidlint check: --max-bytes wants a positive whole "
                         "number of bytes, not '%s'\n", arg);
        return false;
    }
    *size = (size_t) v;
    return true;
}

/*  Reads and lints one file ("-" is standard input) and prints its
 *  diagnostics.  A file that cannot be read is reported on stderr and
 *  remembered in out->io_error; the others are still checked.              */
static void
s_check_file (s_out_t *out, const gl_engine_t *engine, const char *path)
{
    const char *name = strcmp (path, "-") == 0 ? "<stdin>" : path;
    char *bytes = NULL;
    size_t len = 0;
    if (!s_load (path, name, &bytes, &len)) {
        out->io_error = true;
        return;
    }
    gl_doc_t *doc = NULL;
    gl_err_t rc = gl_engine_lint (engine, bytes, len, out->lang, &doc);
    free (bytes);
    if (rc != GL_OK) {
        fprintf (stderr, "gidlint: %s: %s\n", name, gl_strerror (rc));
        out->io_error = true;
        return;
    }
    json_t *obj = gl_cli_doc_json (name, doc);
    gl_doc_destroy (&doc);
    if (!obj) {
        fprintf (stderr, "gidlint: %s: out of memory\n", name);
        out->io_error = true;
        return;
    }
    s_emit_doc (out, obj);
    json_decref (obj);
}

static int
s_cmd_check (int argc, char **argv)
{
    s_format_t format = S_TEXT;
    gl_lang_t lang = GL_LANG_ZH;
    gl_engine_t *engine = gl_engine_new ();
    if (!engine) {
        fprintf (stderr, "gidlint check: out of memory\n");
        return GL_EXIT_USAGE;
    }
    struct option longs[S_MAX_OPTS + 1];
    char shorts[2 * S_MAX_OPTS + 2];
    s_getopt_args (s_check_opts, longs, shorts);

    int c, status = GL_EXIT_OK;
    opterr = 0;
    while (status == GL_EXIT_OK
           && (c = getopt_long (argc, argv, shorts, longs, NULL)) != -1) {
        size_t max_bytes;
        switch (c) {
        case OPT_FORMAT:
            if (!s_parse_format ("check", optarg, &format))
                status = GL_EXIT_USAGE;
            break;
        case OPT_LANG:
            if (!s_parse_lang ("check", optarg, &lang))
                status = GL_EXIT_USAGE;
            break;
        case OPT_DISABLE:
            if (!s_disable (engine, optarg))
                status = GL_EXIT_USAGE;
            break;
        case OPT_MAX_BYTES:
            if (s_parse_size (optarg, &max_bytes))
                gl_engine_set_max_bytes (engine, max_bytes);
            else
                status = GL_EXIT_USAGE;
            break;
        case OPT_HELP:
            s_check_help (stdout);
            gl_engine_destroy (&engine);
            return GL_EXIT_OK;
        default:
            status = s_bad_option ("check", c, argv);
            break;
        }
    }
    if (status == GL_EXIT_OK && optind >= argc) {
        fprintf (stderr, "gidlint check: no input files (use '-' for "
                         "standard input)\nTry 'gidlint check --help'.\n");
        status = GL_EXIT_USAGE;
    }
    if (status != GL_EXIT_OK) {
        gl_engine_destroy (&engine);
        return status;
    }

    s_out_t out;
    s_out_init (&out, format, lang);
    for (int i = optind; i < argc; i++)
        s_check_file (&out, engine, argv[i]);
    gl_engine_destroy (&engine);
    return s_out_finish (&out);
}

/*  ---------------------------------------------------------------------
 *  Talking to gidlintd: endpoints, sockets, waiting with a deadline.     */

static volatile sig_atomic_t s_interrupted;

static void
s_on_signal (int sig)
{
    (void) sig;
    s_interrupted = 1;
}

/*  SIGINT and SIGTERM end a wait (zmq_poll returns EINTR), so that the
 *  sockets and the context are still closed on the way out.               */
static void
s_catch_signals (void)
{
    struct sigaction sa;
    memset (&sa, 0, sizeof sa);
    sa.sa_handler = s_on_signal;
    sigemptyset (&sa.sa_mask);
    sigaction (SIGINT, &sa, NULL);
    sigaction (SIGTERM, &sa, NULL);
}

/*  The flag, else the environment variable, else the default.              */
static const char *
s_endpoint (const char *flag, const char *env, const char *fallback)
{
    if (flag)
        return flag;
    const char *e = getenv (env);
    return e && *e ? e : fallback;
}

static double
s_clock (void)
{
    struct timespec ts;
    clock_gettime (CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

/*  CURVE (README, "Security"): with the daemon's public certificate and
 *  our own secret one, from --server-key and --key, else $GIDLINT_SERVER_KEY
 *  and $GIDLINT_KEY, every socket is a CURVE client; with neither, plain.
 *  The files are read once, at the first socket.                          */
static struct {
    const char *server_key, *key;       /* the flags                        */
    int state;                          /* 0 not read, 1 plain, 2 CURVE, -1 */
    gl_cert_t server, own;
} s_curve;

static void
s_curve_option (int opt, const char *arg)
{
    if (opt == OPT_SERVER_KEY)
        s_curve.server_key = arg;
    else
        s_curve.key = arg;
}

/*  Configures sock, before it connects, for the daemon's security: every
 *  socket that talks to gidlintd goes through here.  Returns false, with a
 *  message on stderr, when the certificates cannot be used.               */
static bool
s_secure (void *sock, const char *cmd)
{
    if (s_curve.state == 0) {
        const char *server = s_endpoint (s_curve.server_key,
                                         "GIDLINT_SERVER_KEY", "");
        const char *own = s_endpoint (s_curve.key, "GIDLINT_KEY", "");
        char err[1024];
        s_curve.state = -1;
        if (!*server && !*own)
            s_curve.state = 1;
        else if (!*server || !*own)
            fprintf (stderr, "gidlint %s: CURVE needs both the daemon's "
                             "public certificate (--server-key) and your "
                             "secret one (--key)\n", cmd);
        else if (gl_cert_load (server, false, &s_curve.server, err,
                               sizeof err) < 0
                 || gl_cert_load (own, true, &s_curve.own, err,
                                  sizeof err) < 0)
            fprintf (stderr, "gidlint %s: %s\n", cmd, err);
        else
            s_curve.state = 2;
    }
    if (s_curve.state != 2)
        return s_curve.state == 1;
    if (zmq_setsockopt (sock, ZMQ_CURVE_SERVERKEY, s_curve.server.public_key,
                        GL_CERT_KEY_BYTES) != 0
        || zmq_setsockopt (sock, ZMQ_CURVE_PUBLICKEY, s_curve.own.public_key,
                           GL_CERT_KEY_BYTES) != 0
        || zmq_setsockopt (sock, ZMQ_CURVE_SECRETKEY, s_curve.own.secret_key,
                           GL_CERT_KEY_BYTES) != 0) {
        fprintf (stderr, "gidlint %s: cannot use CURVE: %s\n", cmd,
                 zmq_strerror (zmq_errno ()));
        return false;
    }
    return true;
}

typedef struct {
    void *ctx;
    void *sock;
} s_conn_t;

/*  A context and one socket of type connected to endpoint, with linger_ms
 *  (how long closing may wait for queued messages) and, when immediate,
 *  ZMQ_IMMEDIATE (queue only on a completed connection; like every
 *  connection option it must be set before zmq_connect).  On failure says
 *  why (as gidlint cmd) and returns false, with nothing left open.        */
static bool
s_connect (s_conn_t *c, const char *cmd, int type, const char *endpoint,
           int linger_ms, bool immediate)
{
    int one = 1;
    c->sock = NULL;
    c->ctx = zmq_ctx_new ();
    if (c->ctx)
        c->sock = zmq_socket (c->ctx, type);
    if (c->sock) {
        zmq_setsockopt (c->sock, ZMQ_LINGER, &linger_ms, sizeof linger_ms);
        if (immediate)
            zmq_setsockopt (c->sock, ZMQ_IMMEDIATE, &one, sizeof one);
        if (!s_secure (c->sock, cmd)) {
            zmq_close (c->sock);
            zmq_ctx_term (c->ctx);
            c->sock = c->ctx = NULL;
            return false;
        }
        if (zmq_connect (c->sock, endpoint) == 0)
            return true;
    }
    fprintf (stderr, "gidlint %s: cannot connect to '%s': %s\n", cmd,
             endpoint, zmq_strerror (zmq_errno ()));
    if (c->sock)
        zmq_close (c->sock);
    if (c->ctx)
        zmq_ctx_term (c->ctx);
    c->sock = c->ctx = NULL;
    return false;
}

static void
s_close (s_conn_t *c)
{
    if (c->sock)
        zmq_close (c->sock);
    if (c->ctx)
        zmq_ctx_term (c->ctx);
    c->sock = c->ctx = NULL;
}

/*  Waits until sock has a message or the deadline (s_clock() time; a
 *  negative one: none) passes.  Returns 1 readable, 0 timed out, -1
 *  interrupted by a signal or failed.                                      */
static int
s_wait (void *sock, double deadline)
{
    for (;;) {
        if (s_interrupted)
            return -1;
        long ms = -1;
        if (deadline >= 0) {
            double left = deadline - s_clock ();
            ms = left > 0 ? (long) ceil (left * 1000.0) : 0;
        }
        zmq_pollitem_t item = { sock, 0, ZMQ_POLLIN, 0 };
        int rc = zmq_poll (&item, 1, ms);
        if (rc > 0)
            return 1;
        if (rc == 0 && ms >= 0 && s_clock () >= deadline)
            return 0;
        if (rc < 0 && zmq_errno () != EINTR)
            return -1;
    }
}

/*  Receives one whole (multipart) message that is known to be there:
 *  its first max frames into frames[] (initialised; caller closes *n of
 *  them), the rest dropped; *total counts them all.  Returns false if
 *  nothing could be read.                                                  */
static bool
s_recv (void *sock, zmq_msg_t *frames, size_t max, size_t *n, size_t *total)
{
    *n = *total = 0;
    for (;;) {
        zmq_msg_t m;
        zmq_msg_init (&m);
        if (zmq_msg_recv (&m, sock, *total ? 0 : ZMQ_DONTWAIT) < 0) {
            zmq_msg_close (&m);
            return *total > 0;
        }
        bool more = zmq_msg_more (&m);
        (*total)++;
        if (*n < max) {
            zmq_msg_init (&frames[*n]);
            zmq_msg_move (&frames[(*n)++], &m);
        }
        zmq_msg_close (&m);
        if (!more)
            return true;
    }
}

static void
s_close_frames (zmq_msg_t *frames, size_t n)
{
    for (size_t i = 0; i < n; i++)
        zmq_msg_close (&frames[i]);
}

/*  Limits for decoding what the daemon sends: generous, it is not hostile
 *  the way a producer may be, but still bounded.                           */
static const gl_wire_limits_t s_client_limits = {
    .max_message = (size_t) 1 << 30,
    .max_body = 0,
    .max_depth = GL_WIRE_MAX_DEPTH
};

static bool
s_type_is (const gl_wire_msg_t *msg, const char *type)
{
    return msg->type_len == strlen (type)
           && memcmp (msg->type, type, msg->type_len) == 0;
}

/*  Whether msg says it comes from the daemon called name.                  */
static bool
s_from_daemon (const gl_wire_msg_t *msg, const char *name)
{
    const char *got;
    size_t len;
    return gl_wire_get_str (&msg->root, "daemon", &got, &len)
           && len == strlen (name) && memcmp (got, name, len) == 0;
}

/*  One request on a control (DEALER) socket: the daemon's name when one is
 *  addressed (not NULL), the empty delimiter frame, then the message in sb; waits until deadline for the reply and decodes
 *  it into msg (caller calls gl_wire_msg_fini() and, on success, closes
 *  *reply, which msg borrows from).  Returns 0, or 1 timed out, or -1
 *  failed or interrupted, with a message on stderr.                       */
static int
s_ask (const char *cmd, const char *endpoint, const char *daemon, void *sock,
       const msgpack_sbuffer *sb, double deadline, zmq_msg_t *reply,
       gl_wire_msg_t *msg)
{
    /* Addressed to a daemon by name: [name]["" ][request], answered with
     * [name][""][reply], or [name][refused] by a broker that has no daemon
     * of that name (see s_watch_replay). */
    size_t name_len = daemon ? strlen (daemon) : 0;
    if ((daemon && zmq_send (sock, daemon, name_len, ZMQ_SNDMORE) < 0)
        || zmq_send (sock, "", 0, ZMQ_SNDMORE) < 0
        || zmq_send (sock, sb->data, sb->size, 0) < 0) {
        fprintf (stderr, "gidlint %s: cannot send to '%s': %s\n", cmd,
                 endpoint, zmq_strerror (zmq_errno ()));
        return -1;
    }
    for (;;) {
        int w = s_wait (sock, deadline);
        if (w == 0)
            return 1;
        if (w < 0) {
            if (!s_interrupted)
                fprintf (stderr, "gidlint %s: %s\n", cmd,
                         zmq_strerror (zmq_errno ()));
            return -1;
        }
        zmq_msg_t frames[3];
        size_t n, total, k = 0;
        if (!s_recv (sock, frames, 3, &n, &total))
            continue;
        if (daemon && total >= 2 && zmq_msg_size (&frames[0]) == name_len
            && memcmp (zmq_msg_data (&frames[0]), daemon, name_len) == 0)
            k = 1;
        bool framed = total == k + 2 && zmq_msg_size (&frames[k]) == 0;
        bool refused = daemon && k == 1 && total == 2;
        if (!framed && !refused) {
            fprintf (stderr, "gidlint %s: ignoring a reply of %zu frames "
                             "that is not [%s\"\", message]\n", cmd, total,
                     daemon ? "name, " : "");
            s_close_frames (frames, n);
            continue;
        }
        zmq_msg_init (reply);
        zmq_msg_move (reply, &frames[n - 1]);
        s_close_frames (frames, n);
        gl_wire_error_t err;
        if (gl_wire_decode_msg (zmq_msg_data (reply), zmq_msg_size (reply),
                                &s_client_limits, msg, &err) == GL_OK) {
            if (!daemon || s_type_is (msg, "refused") || s_from_daemon (msg, daemon))
                return 0;
            fprintf (stderr, "gidlint %s: answered by another daemon than '%s': "
                     "--control must be a broker's route endpoint or that "
                     "daemon's control endpoint\n", cmd, daemon);
            gl_wire_msg_fini (msg);
            zmq_msg_close (reply);
            return -1;
        }
        fprintf (stderr, "gidlint %s: the reply cannot be read: %s\n", cmd,
                 err.why_en);
        gl_wire_msg_fini (msg);
        zmq_msg_close (reply);
        return -1;
    }
}

static void
s_no_answer (const char *cmd, const char *endpoint, double timeout)
{
    fprintf (stderr, "gidlint %s: no answer from '%s' within %g s "
                     "(is gidlintd running?)\n", cmd, endpoint, timeout);
}

/*  The document object `check --format json` would print for the document
 *  a result or reject (converted to JSON: wire) is about, named file.  A
 *  result's own fields beyond the protocol's envelope are the document's
 *  (title, body, year, edition: whatever gl_doc_fields() gave), in their
 *  order; a reject becomes a document with its one diagnostic.             */
static json_t *
s_wire_doc (json_t *wire, bool reject, const char *file)
{
    static const char *const envelope[] = {
        "seq", "v", "type", "epoch", "daemon", "id", "name", "source",
        "received", "processing_ms", "counts", "meta", "diagnostics",
        "diagnostic", "reason_zh", "reason_en"
    };
    json_t *doc = json_object ();
    json_t *diags = reject ? json_array () : NULL;
    int rc = !doc || (reject && !diags);
    if (!rc)
        rc |= json_object_set_new (doc, "file", json_string (file));
    const char *key;
    json_t *value;
    json_object_foreach (wire, key, value) {
        bool skip = reject;
        for (size_t i = 0; i < sizeof envelope / sizeof envelope[0]; i++)
            skip |= strcmp (key, envelope[i]) == 0;
        if (!skip && !rc)
            rc |= json_object_set (doc, key, value);
    }
    if (reject) {
        if (!rc)
            rc |= json_array_append (diags, json_object_get (wire, "diagnostic"));
        if (!rc)
            rc |= json_object_set (doc, "diagnostics", diags);
        json_decref (diags);
    }
    else {
        json_t *d = json_object_get (wire, "diagnostics");
        if (!rc)
            rc |= json_object_set_new (doc, "diagnostics",
                                       d ? json_incref (d) : json_array ());
    }
    if (rc) {
        json_decref (doc);
        return NULL;
    }
    return doc;
}

/*  ---------------------------------------------------------------------
 *  gidlint push                                                          */

static void
s_push_help (FILE *out)
{
    fputs ("Usage: gidlint push [OPTIONS] FILE... | DIR\n"
           "\n"
           "Sends each FILE to gidlintd, the streaming daemon; a DIR sends "
           "every regular\nfile in it, in name order.  Each document's id is "
           "its path, its name the\nfile's base name.\n"
           "\n"
           "Without --wait, pushes the documents to the ingest socket and "
           "returns once\nthey are handed over: their results are published "
           "(see 'gidlint watch').\nWith --wait, lints them through the "
           "control socket one after another and\nprints each result exactly "
           "as 'gidlint check' would.\n"
           "\n"
           "Options:\n",
           out);
    s_print_opts (out, s_push_opts);
    fputs ("\nEndpoints: --ingest/--control, else $GIDLINT_INGEST/"
           "$GIDLINT_CONTROL, else\n" S_DEFAULT_INGEST " and "
           S_DEFAULT_CONTROL ".\n"
           S_CURVE_HELP
           "Exit status: without --wait 0 all sent, 2 a file unreadable or "
           "the daemon\nunreachable; with --wait as check: 0 no error found, "
           "1 errors found (a\nrejected document counts as one), 2 usage, "
           "I/O error or no answer in time.\n",
           out);
}

/*  A string list (owned strings).                                          */
typedef struct {
    char **items;
    size_t n, cap;
} s_list_t;

static bool
s_list_add (s_list_t *l, char *s)
{
    if (!s)
        return false;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        char **items = realloc (l->items, cap * sizeof *items);
        if (!items) {
            free (s);
            return false;
        }
        l->items = items;
        l->cap = cap;
    }
    l->items[l->n++] = s;
    return true;
}

static void
s_list_free (s_list_t *l)
{
    for (size_t i = 0; i < l->n; i++)
        free (l->items[i]);
    free (l->items);
    memset (l, 0, sizeof *l);
}

static int
s_cmp_str (const void *a, const void *b)
{
    return strcmp (*(char *const *) a, *(char *const *) b);
}

/*  Appends dir's regular files (symbolic links followed) to l, sorted by
 *  name.  Returns false with a message when dir cannot be read.            */
static bool
s_list_dir (s_list_t *l, const char *dir)
{
    DIR *d = opendir (dir);
    if (!d) {
        fprintf (stderr, "gidlint: %s: %s\n", dir, strerror (errno));
        return false;
    }
    size_t first = l->n, dlen = strlen (dir);
    bool slash = dlen > 0 && dir[dlen - 1] == '/', ok = true;
    struct dirent *e;
    while (ok && (e = readdir (d)) != NULL) {
        if (e->d_name[0] == '.'
            && (!e->d_name[1] || (e->d_name[1] == '.' && !e->d_name[2])))
            continue;
        size_t size = dlen + strlen (e->d_name) + 2;
        char *path = malloc (size);
        if (!path) {
            ok = false;
            break;
        }
        snprintf (path, size, "%s%s%s", dir, slash ? "" : "/", e->d_name);
        struct stat st;
        if (stat (path, &st) == 0 && S_ISREG (st.st_mode))
            ok = s_list_add (l, path);
        else
            free (path);
    }
    closedir (d);
    if (!ok)
        fprintf (stderr, "gidlint: %s: out of memory\n", dir);
    qsort (l->items + first, l->n - first, sizeof *l->items, s_cmp_str);
    return ok;
}

/*  The files named by the arguments: a directory stands for its regular
 *  files.  Returns false when one could not be listed (the rest are).     */
static bool
s_expand (s_list_t *l, char **args, int n)
{
    bool ok = true;
    for (int i = 0; i < n; i++) {
        struct stat st;
        if (strcmp (args[i], "-") != 0 && stat (args[i], &st) == 0
            && S_ISDIR (st.st_mode))
            ok &= s_list_dir (l, args[i]);
        else if (!s_list_add (l, strdup (args[i]))) {
            fprintf (stderr, "gidlint: out of memory\n");
            ok = false;
        }
    }
    return ok;
}

/*  The id (the path) and name (its base name) a file is sent under.        */
static const char *
s_doc_id (const char *path)
{
    return strcmp (path, "-") == 0 ? "<stdin>" : path;
}

static const char *
s_base_name (const char *path)
{
    const char *slash = strrchr (path, '/');
    return slash && slash[1] ? slash + 1 : path;
}

typedef struct {
    const char *source;         /* NULL: none                                */
    const char *lang;           /* NULL: none (the daemon's default, zh)     */
    gl_lang_t out_lang;
    bool wait;
    double timeout;
    double resend;              /* --wait: first resend timeout, seconds     */
    unsigned window;            /* --wait: documents in flight at once       */
    s_format_t format;
    const char *ingest, *control;
} s_push_t;

/*  Encodes the file at path as a document message into sb.  Returns false
 *  (message printed) when it cannot be read.                               */
static bool
s_encode_file (const s_push_t *p, const char *path, msgpack_sbuffer *sb)
{
    char *bytes = NULL;
    size_t len = 0;
    const char *id = s_doc_id (path);
    if (!s_load (path, id, &bytes, &len))
        return false;
    gl_wire_doc_t doc = { .id = id, .body = bytes, .body_len = len,
                          .name = s_base_name (id), .source = p->source,
                          .lang = p->lang };
    int rc = gl_wire_encode_document (sb, &doc);
    free (bytes);
    if (rc != 0)
        fprintf (stderr, "gidlint: %s: out of memory\n", id);
    return rc == 0;
}

/*  Without --wait: every document down the ingest socket.  ZMQ_IMMEDIATE
 *  queues only on a completed connection, so a send waits (up to the
 *  timeout) for the daemon to be there; closing then lingers until what was
 *  queued has been handed to the daemon's socket.                          */
static int
s_push_ingest (const s_push_t *p, const s_list_t *files)
{
    s_conn_t c;
    if (!s_connect (&c, "push", ZMQ_PUSH, p->ingest, S_PUSH_LINGER_MS, true))
        return GL_EXIT_USAGE;
    int sndtimeo = (int) ceil (p->timeout * 1000.0);
    zmq_setsockopt (c.sock, ZMQ_SNDTIMEO, &sndtimeo, sizeof sndtimeo);

    int status = GL_EXIT_OK;
    size_t sent = 0;
    msgpack_sbuffer sb;
    msgpack_sbuffer_init (&sb);
    for (size_t i = 0; i < files->n && !s_interrupted; i++) {
        msgpack_sbuffer_clear (&sb);
        if (!s_encode_file (p, files->items[i], &sb)) {
            status = GL_EXIT_USAGE;
            continue;
        }
        int rc;
        do
            rc = zmq_send (c.sock, sb.data, sb.size, 0);
        while (rc < 0 && zmq_errno () == EINTR && !s_interrupted);
        if (rc < 0) {
            if (zmq_errno () == EAGAIN)
                fprintf (stderr, "gidlint push: '%s' did not take a document "
                                 "within %g s (is gidlintd running?)\n",
                         p->ingest, p->timeout);
            else if (!s_interrupted)
                fprintf (stderr, "gidlint push: cannot send to '%s': %s\n",
                         p->ingest, zmq_strerror (zmq_errno ()));
            status = GL_EXIT_USAGE;
            break;
        }
        sent++;
    }
    msgpack_sbuffer_destroy (&sb);
    s_close (&c);
    fprintf (stderr, "sent %zu document%s\n", sent, sent == 1 ? "" : "s");
    return s_interrupted ? GL_EXIT_USAGE : status;
}

/*  Prints what the daemon answered about the document sent under id.       */
static void
s_print_reply (s_out_t *out, const char *id, const gl_wire_msg_t *msg)
{
    bool reject = s_type_is (msg, "reject");
    if (!reject && !s_type_is (msg, "result")) {
        fprintf (stderr, "gidlint push: %s: unexpected reply of type "
                         "'%.*s'\n", id, (int) msg->type_len, msg->type);
        out->io_error = true;
        return;
    }
    const char *rid;
    size_t rid_len;
    if (gl_wire_get_str (&msg->root, "id", &rid, &rid_len)
        && (rid_len != strlen (id) || memcmp (rid, id, rid_len) != 0))
        fprintf (stderr, "gidlint push: %s: the reply names '%.*s'\n", id,
                 (int) rid_len, rid);
    json_t *wire = gl_cli_msgpack_json (&msg->root);
    json_t *doc = wire ? s_wire_doc (wire, reject, id) : NULL;
    if (doc)
        s_emit_doc (out, doc);
    else {
        fprintf (stderr, "gidlint push: %s: out of memory\n", id);
        out->io_error = true;
    }
    json_decref (doc);
    json_decref (wire);
}

/*  With --wait: every document through the control socket with the
 *  reliable producer (gl_producer.h): up to --window at once, each resent
 *  until answered (across daemon restarts) or --timeout passes; answers
 *  are printed in the order of the files.                                  */
typedef struct {
    const s_push_t *p;
    const s_list_t *files;
    s_out_t out;
    char **reply;               /* per file: the answer, until printed       */
    size_t *reply_len;
    bool *answered;
    size_t next;                /* the next file to print                    */
    size_t *flight;             /* window slots: file index, SIZE_MAX free   */
    unsigned window;
} s_wait_t;

static void
s_wait_print (s_wait_t *w)
{
    for (; w->next < w->files->n && w->answered[w->next]; w->next++) {
        size_t i = w->next;
        const char *id = s_doc_id (w->files->items[i]);
        if (!w->reply[i]) {
            fprintf (stderr, "gidlint push: %s: no answer from '%s' within "
                             "%g s\n", id, w->p->control, w->p->timeout);
            w->out.io_error = true;
            continue;
        }
        gl_wire_msg_t msg;
        gl_wire_error_t err;
        if (gl_wire_decode_msg (w->reply[i], w->reply_len[i], &s_client_limits,
                                &msg, &err) == GL_OK)
            s_print_reply (&w->out, id, &msg);
        else {
            fprintf (stderr, "gidlint push: %s: the reply cannot be read: "
                             "%s\n", id, err.why_en);
            w->out.io_error = true;
        }
        gl_wire_msg_fini (&msg);
        free (w->reply[i]);
        w->reply[i] = NULL;
    }
    fflush (stdout);
}

/*  The producer's socket, before it connects: the daemon's security.       */
static int
s_producer_secure (void *sock, void *arg)
{
    (void) arg;
    return s_secure (sock, "push") ? 0 : -1;
}

static void
s_wait_reply (void *arg, const char *id, gl_producer_outcome_t outcome,
              const void *message, size_t size)
{
    s_wait_t *w = arg;
    for (unsigned k = 0; k < w->window; k++) {
        size_t i = w->flight[k];
        if (i == SIZE_MAX || strcmp (s_doc_id (w->files->items[i]), id) != 0)
            continue;
        w->flight[k] = SIZE_MAX;
        w->answered[i] = true;
        if (outcome != GL_PRODUCER_GAVE_UP && (w->reply[i] = malloc (size))) {
            memcpy (w->reply[i], message, size);
            w->reply_len[i] = size;
        }
        break;
    }
    s_wait_print (w);
}

static int
s_push_control (const s_push_t *p, const s_list_t *files)
{
    size_t n = files->n;
    s_wait_t w = { .p = p, .files = files, .window = p->window };
    s_out_init (&w.out, p->format, p->out_lang);
    w.reply = calloc (n + 1, sizeof *w.reply);
    w.reply_len = calloc (n + 1, sizeof *w.reply_len);
    w.answered = calloc (n + 1, sizeof *w.answered);
    w.flight = malloc (w.window * sizeof *w.flight);
    gl_producer_opts_t o = { .endpoint = p->control, .window = w.window,
                             .timeout = p->resend, .give_up = p->timeout,
                             .configure = s_producer_secure,
                             .on_reply = s_wait_reply, .reply_arg = &w,
                             .interrupted = &s_interrupted };
    gl_producer_t *prod = NULL;
    if (w.reply && w.reply_len && w.answered && w.flight)
        prod = gl_producer_new (&o);
    if (!prod) {
        fprintf (stderr, "gidlint push: cannot connect to '%s': %s\n",
                 p->control, strerror (errno));
        free (w.reply);
        free (w.reply_len);
        free (w.answered);
        free (w.flight);
        return GL_EXIT_USAGE;
    }
    for (unsigned k = 0; k < w.window; k++)
        w.flight[k] = SIZE_MAX;
    bool stop = false;
    for (size_t i = 0; i < n && !stop; i++) {
        char *bytes = NULL;
        size_t len = 0;
        const char *id = s_doc_id (files->items[i]);
        if (!s_load (files->items[i], id, &bytes, &len)) {
            w.out.io_error = true;
            w.answered[i] = true;       /* nothing to print */
            w.reply[i] = NULL;
            continue;
        }
        gl_producer_doc_t doc = { .id = id, .body = bytes, .body_len = len,
                                  .name = s_base_name (id),
                                  .source = p->source, .lang = p->lang };
        /* Answers are printed in file order: do not run too far ahead of
         * the first one not yet answered. */
        int rc = -1;
        while (!s_interrupted) {
            if (i < w.next + 4 * (size_t) w.window) {
                rc = gl_producer_submit (prod, &doc);
                if (rc == 0 || errno != EEXIST)
                    break;
            }
            if (gl_producer_wait (prod, 0.05) < 0)
                break;
        }
        if (rc != 0) {
            if (!s_interrupted)
                fprintf (stderr, "gidlint push: %s: %s\n", id, strerror (errno));
            w.out.io_error = stop = true;
        }
        else
            for (unsigned k = 0; k < w.window; k++)
                if (w.flight[k] == SIZE_MAX) {
                    w.flight[k] = i;
                    break;
                }
        free (bytes);
        s_wait_print (&w);
    }
    if (!stop && gl_producer_wait (prod, -1) < 0)
        w.out.io_error = true;
    s_wait_print (&w);
    gl_producer_stats_t st;
    gl_producer_stats (prod, &st);
    if (st.resends || st.duplicates || st.refused || st.restarts)
        fprintf (stderr, "gidlint push: %llu documents answered; %llu resent, "
                         "%llu duplicate answers, %llu refused for rate, %llu "
                         "daemon restarts seen\n",
                 (unsigned long long) st.answered,
                 (unsigned long long) st.resends,
                 (unsigned long long) st.duplicates,
                 (unsigned long long) st.refused,
                 (unsigned long long) st.restarts);
    gl_producer_destroy (&prod);
    for (size_t i = 0; i < n; i++)
        free (w.reply[i]);
    free (w.reply);
    free (w.reply_len);
    free (w.answered);
    free (w.flight);
    return s_out_finish (&w.out);
}

static int
s_cmd_push (int argc, char **argv)
{
    s_push_t p = { .out_lang = GL_LANG_ZH, .timeout = 30, .resend = 5,
                   .window = 16, .format = S_TEXT };
    const char *ingest = NULL, *control = NULL;
    struct option longs[S_MAX_OPTS + 1];
    char shorts[2 * S_MAX_OPTS + 2];
    s_getopt_args (s_push_opts, longs, shorts);
    int c;
    opterr = 0;
    while ((c = getopt_long (argc, argv, shorts, longs, NULL)) != -1) {
        switch (c) {
        case OPT_SOURCE:
            p.source = optarg;
            break;
        case OPT_LANG:
            if (!s_parse_lang ("push", optarg, &p.out_lang))
                return GL_EXIT_USAGE;
            p.lang = p.out_lang == GL_LANG_EN ? "en" : "zh";
            break;
        case OPT_WAIT:
            p.wait = true;
            break;
        case OPT_RESEND:
            if (!s_parse_seconds ("push", optarg, &p.resend))
                return GL_EXIT_USAGE;
            break;
        case OPT_WINDOW: {
            unsigned long long v;
            if (!s_parse_count ("push", optarg, &v))
                return GL_EXIT_USAGE;
            p.window = v < 1 ? 1 : v > 4096 ? 4096 : (unsigned) v;
            break;
        }
        case OPT_TIMEOUT:
            if (!s_parse_seconds ("push", optarg, &p.timeout))
                return GL_EXIT_USAGE;
            break;
        case OPT_FORMAT:
            if (!s_parse_format ("push", optarg, &p.format))
                return GL_EXIT_USAGE;
            break;
        case OPT_INGEST:
            ingest = optarg;
            break;
        case OPT_CONTROL:
            control = optarg;
            break;
        case OPT_SERVER_KEY:
        case OPT_KEY:
            s_curve_option (c, optarg);
            break;
        case OPT_HELP:
            s_push_help (stdout);
            return GL_EXIT_OK;
        default:
            return s_bad_option ("push", c, argv);
        }
    }
    if (optind >= argc) {
        fprintf (stderr, "gidlint push: no input files\n"
                         "Try 'gidlint push --help'.\n");
        return GL_EXIT_USAGE;
    }
    p.ingest = s_endpoint (ingest, "GIDLINT_INGEST", S_DEFAULT_INGEST);
    p.control = s_endpoint (control, "GIDLINT_CONTROL", S_DEFAULT_CONTROL);

    s_list_t files = { 0 };
    bool listed = s_expand (&files, argv + optind, argc - optind);
    s_catch_signals ();
    int status = p.wait ? s_push_control (&p, &files)
                        : s_push_ingest (&p, &files);
    s_list_free (&files);
    return listed ? status : GL_EXIT_USAGE;
}

/*  ---------------------------------------------------------------------
 *  Printing any message as "key: value" lines (stats, health).          */

#define S_KV_MAX 160

typedef struct {
    size_t n;
    char key[S_KV_MAX][64];
    char value[S_KV_MAX][128];
} s_kv_t;

/*  A scalar as text; "epoch" in hexadecimal, as gidlintd logs it.          */
static void
s_scalar_text (const char *key, const msgpack_object *o, char *buf,
               size_t size)
{
    switch (o->type) {
    case MSGPACK_OBJECT_STR:
        snprintf (buf, size, "%.*s", (int) o->via.str.size, o->via.str.ptr);
        break;
    case MSGPACK_OBJECT_POSITIVE_INTEGER:
        snprintf (buf, size, strcmp (key, "epoch") == 0 ? "%016llx" : "%llu",
                  (unsigned long long) o->via.u64);
        break;
    case MSGPACK_OBJECT_NEGATIVE_INTEGER:
        snprintf (buf, size, "%lld", (long long) o->via.i64);
        break;
    case MSGPACK_OBJECT_FLOAT32:
    case MSGPACK_OBJECT_FLOAT64:
        snprintf (buf, size, "%.3f", o->via.f64);
        break;
    case MSGPACK_OBJECT_BOOLEAN:
        snprintf (buf, size, "%s", o->via.boolean ? "true" : "false");
        break;
    case MSGPACK_OBJECT_ARRAY:
        snprintf (buf, size, "[%u items]", (unsigned) o->via.array.size);
        break;
    case MSGPACK_OBJECT_BIN:
        snprintf (buf, size, "<%u bytes>", (unsigned) o->via.bin.size);
        break;
    default:
        snprintf (buf, size, "null");
        break;
    }
}

/*  Flattens a map into kv: nested maps as "outer.inner" keys.  "v" and
 *  "type" at the top are left out (the command says what it asked).      */
static void
s_kv_collect (s_kv_t *kv, const char *prefix, const msgpack_object *map)
{
    for (uint32_t i = 0; i < map->via.map.size && kv->n < S_KV_MAX; i++) {
        const msgpack_object *k = &map->via.map.ptr[i].key;
        const msgpack_object *v = &map->via.map.ptr[i].val;
        if (k->type != MSGPACK_OBJECT_STR)
            continue;
        char key[64];
        snprintf (key, sizeof key, "%s%s%.*s", prefix, *prefix ? "." : "",
                  (int) k->via.str.size, k->via.str.ptr);
        if (!*prefix && (strcmp (key, "v") == 0 || strcmp (key, "type") == 0))
            continue;
        if (v->type == MSGPACK_OBJECT_MAP) {
            s_kv_collect (kv, key, v);
            continue;
        }
        snprintf (kv->key[kv->n], sizeof kv->key[0], "%s", key);
        s_scalar_text (key, v, kv->value[kv->n], sizeof kv->value[0]);
        kv->n++;
    }
}

static void
s_print_kv (const msgpack_object *map)
{
    s_kv_t *kv = calloc (1, sizeof *kv);
    if (!kv)
        return;
    s_kv_collect (kv, "", map);
    int width = 0;
    for (size_t i = 0; i < kv->n; i++) {
        int w = (int) strlen (kv->key[i]) + 1;
        width = w > width ? w : width;
    }
    for (size_t i = 0; i < kv->n; i++) {
        char key[66];
        snprintf (key, sizeof key, "%s:", kv->key[i]);
        printf ("%-*s %s\n", width, key, kv->value[i]);
    }
    free (kv);
}

/*  A message as one line of JSON.                                          */
static bool
s_print_json (const msgpack_object *root)
{
    json_t *obj = gl_cli_msgpack_json (root);
    bool ok = s_put_json (obj);
    json_decref (obj);
    return ok;
}

/*  ---------------------------------------------------------------------
 *  gidlint watch                                                         */

enum { S_K_ERROR = 1, S_K_WARNING = 2, S_K_CLEAN = 4, S_K_REJECT = 8,
       S_K_ALL = 15 };

/*  One daemon's numbering.  Behind gidlint-broker the results of several
 *  daemons arrive on one socket, each numbered by its own (epoch, seq):
 *  gaps and restarts are per daemon, and so is recovery (docs/deploy.md). */
#define S_MAX_STREAMS 1024      /* daemons followed by one watch             */

typedef struct {
    char name[256];             /* the daemon's name, as in its messages     */
    bool seen;                  /* a result or reject arrived already        */
    bool have_epoch;
    uint64_t epoch;
    uint64_t last_seq;          /* of this epoch; 0: none yet                */
    bool restarted;             /* a new epoch, no result of it seen yet     */
} s_stream_t;

typedef struct {
    s_out_t out;
    bool gaps;                  /* every result and reject: seq has no gaps */
    s_stream_t *streams;        /* one per daemon seen                       */
    size_t n_streams;
    bool print_stats;           /* --stats (they are read for seq anyway)    */
    /* Recovery of gaps through the control socket's replay.               */
    bool recover;
    const char *control;
    s_conn_t ctl;               /* opened at the first gap                   */
    s_list_t prefixes;          /* the topics subscribed to                  */
    unsigned long long printed, recovered, lost;
} s_watch_t;

static void
s_watch_help (FILE *out)
{
    fputs ("Usage: gidlint watch [OPTIONS]\n"
           "\n"
           "Subscribes to gidlintd's results socket and prints results and "
           "rejects as they\nare published: in text, a header line\n"
           "    == NAME seq SEQ (SOURCE) COUNTS\n"
           "then the document's diagnostics as 'gidlint check' prints them; "
           "in json, each\nmessage as one JSON object.  Without a filter, "
           "every result and reject (not\nstats); --errors, --warnings and "
           "--rejects combine, --source narrows them.\nA gap in the sequence "
           "numbers (messages the socket dropped, or published\nwhile this "
           "watch was slow or away) is recovered from the daemon's ring of\n"
           "recent results through the control socket, in order; what the "
           "ring no longer\nholds is reported on standard error as 'lost seq "
           "A..B', as is a restart of\nthe daemon (a new epoch).\n"
           "Sequence numbers are per daemon: behind gidlint-broker each "
           "daemon's are\nfollowed on their own and a gap is asked for from "
           "the daemon that numbered it,\nby name, through --control: give "
           "the broker's route endpoint.\n"
           "\n"
           "Options:\n",
           out);
    s_print_opts (out, s_watch_opts);
    fputs ("\nEndpoints: --results/--control, else $GIDLINT_RESULTS/"
           "$GIDLINT_CONTROL, else\n" S_DEFAULT_RESULTS " and "
           S_DEFAULT_CONTROL ".\n"
           S_CURVE_HELP
           "Exit status: 0 after --count messages or on SIGINT/SIGTERM, "
           "2 usage or\nconnection error, 3 nothing arrived within "
           "--timeout.\n",
           out);
}

static void
s_watch_counts (const s_watch_t *w, const json_t *counts, char *buf,
                size_t size)
{
    json_int_t e = s_json_int (counts, "error"), k = s_json_int (counts, "warning"),
               i = s_json_int (counts, "info");
    if (w->out.lang == GL_LANG_EN)
        snprintf (buf, size, "%" JSON_INTEGER_FORMAT " error%s, %"
                  JSON_INTEGER_FORMAT " warning%s, %" JSON_INTEGER_FORMAT
                  " info%s", e, e == 1 ? "" : "s", k, k == 1 ? "" : "s", i,
                  i == 1 ? "" : "s");
    else
        snprintf (buf, size, "%" JSON_INTEGER_FORMAT " 个错误，%"
                  JSON_INTEGER_FORMAT " 个警告，%" JSON_INTEGER_FORMAT
                  " 个提示", e, k, i);
}

/*  A result or reject in text: the header, then its diagnostics.  Returns
 *  false when out of memory.                                               */
static bool
s_watch_text_doc (s_watch_t *w, const gl_wire_msg_t *msg, bool reject)
{
    json_t *wire = gl_cli_msgpack_json (&msg->root);
    if (!wire)
        return false;
    const char *id = json_string_value (json_object_get (wire, "id"));
    const char *name = json_string_value (json_object_get (wire, "name"));
    const char *source = json_string_value (json_object_get (wire, "source"));
    id = id ? id : "-";
    char what[128];
    if (reject)
        snprintf (what, sizeof what, "rejected %s",
                  s_json_str (json_object_get (wire, "diagnostic"), "code"));
    else
        s_watch_counts (w, json_object_get (wire, "counts"), what, sizeof what);
    printf ("== %s seq %" JSON_INTEGER_FORMAT " (%s) %s\n", name ? name : id,
            s_json_int (wire, "seq"), source ? source : "-", what);
    json_t *doc = s_wire_doc (wire, reject, id);
    if (doc)
        s_emit_doc (&w->out, doc);
    json_decref (doc);
    json_decref (wire);
    return doc != NULL;
}

static void
s_watch_text_stats (const gl_wire_msg_t *msg)
{
    const msgpack_object *r = &msg->root;
    const msgpack_object *lat = gl_wire_get (r, "latency");
    uint64_t epoch = 0, received = 0, linted = 0, rejected = 0, published = 0,
             in_flight = 0;
    double p50 = 0, p99 = 0;
    const char *daemon = "";
    size_t daemon_len = 0;
    gl_wire_get_str (r, "daemon", &daemon, &daemon_len);
    gl_wire_get_u64 (r, "epoch", &epoch);
    gl_wire_get_u64 (r, "received", &received);
    gl_wire_get_u64 (r, "linted", &linted);
    gl_wire_get_u64 (r, "rejected", &rejected);
    gl_wire_get_u64 (r, "published", &published);
    gl_wire_get_u64 (r, "in_flight", &in_flight);
    gl_wire_get_f64 (lat, "p50_ms", &p50);
    gl_wire_get_f64 (lat, "p99_ms", &p99);
    printf ("== stats %.*s epoch %016llx: received %llu, linted %llu, "
            "rejected %llu, published %llu, in flight %llu, latency p50 "
            "%.3f ms, p99 %.3f ms\n",
            (int) daemon_len, daemon, (unsigned long long) epoch,
            (unsigned long long) received, (unsigned long long) linted,
            (unsigned long long) rejected, (unsigned long long) published,
            (unsigned long long) in_flight, p50, p99);
}

/*  Prints one decoded message (a result or reject when numbered).         */
static void
s_watch_print (s_watch_t *w, const gl_wire_msg_t *msg, bool numbered,
               bool reject)
{
    bool ok = true;
    if (w->out.format == S_JSON)
        ok = s_print_json (&msg->root);
    else if (numbered)
        ok = s_watch_text_doc (w, msg, reject);
    else if (s_type_is (msg, "stats"))
        s_watch_text_stats (msg);
    else
        printf ("== %.*s\n", (int) msg->type_len, msg->type);
    if (!ok)
        fprintf (stderr, "gidlint watch: out of memory\n");
    w->printed++;
    fflush (stdout);
}

/*  Decodes and prints a message that came back in a replay.                */
static void
s_watch_replayed (s_watch_t *w, zmq_msg_t *body)
{
    gl_wire_msg_t msg;
    gl_wire_error_t err;
    if (gl_wire_decode_msg (zmq_msg_data (body), zmq_msg_size (body),
                            &s_client_limits, &msg, &err) == GL_OK) {
        bool reject = s_type_is (&msg, "reject");
        s_watch_print (w, &msg, true, reject);
        w->recovered++;
    }
    gl_wire_msg_fini (&msg);
}

static void
s_watch_lost (s_watch_t *w, const s_stream_t *d, uint64_t from, uint64_t to,
              const char *why)
{
    fprintf (stderr, "lost seq %llu..%llu of '%s' epoch %016llx: %s%s\n",
             (unsigned long long) from, (unsigned long long) to, d->name,
             (unsigned long long) d->epoch, why,
             w->gaps ? "" : " (not all of them need have matched the filter)");
    w->lost += to - from + 1;
}

/*  Whether a replayed message's topic is one this watch subscribed to.     */
static bool
s_watch_wanted (const s_watch_t *w, zmq_msg_t *topic)
{
    size_t n = zmq_msg_size (topic);
    const char *t = zmq_msg_data (topic);
    for (size_t i = 0; i < w->prefixes.n; i++) {
        size_t len = strlen (w->prefixes.items[i]);
        if (len <= n && memcmp (t, w->prefixes.items[i], len) == 0)
            return true;
    }
    return false;
}

/*  One replay request for [from, to] of daemon d's current epoch: prints
 *  what comes back, reports what is gone.  Returns the seq to ask from
 *  next (0: done), or UINT64_MAX when the daemon did not answer.
 *
 *  The request goes as [name]["" ][request] and the answer comes back as
 *  [name][""][header][topic][body]…: a daemon's control socket returns the
 *  frames before the request as they came, and gidlint-broker's route
 *  endpoint takes the first frame as the name of the daemon to pass the
 *  rest to and puts it back in front of the answer.  So the same request
 *  reaches the daemon that numbered the messages, directly or through a
 *  broker.  A broker with no daemon of that name answers [name][refused]. */
static uint64_t
s_watch_replay (s_watch_t *w, const s_stream_t *d, uint64_t from, uint64_t to)
{
    msgpack_sbuffer sb;
    msgpack_sbuffer_init (&sb);
    /* The daemon filters by topic when there are few prefixes; we filter
     * again below in any case. */
    const char **topics = (const char **) w->prefixes.items;
    size_t n_topics = w->prefixes.n <= GL_WIRE_MAX_TOPICS ? w->prefixes.n : 0;
    int enc = gl_wire_encode_replay_req (&sb, from, to, d->epoch, topics,
                                         w->gaps ? 0 : n_topics);
    size_t name_len = strlen (d->name);
    bool sent = enc == 0
                && zmq_send (w->ctl.sock, d->name, name_len, ZMQ_SNDMORE) >= 0
                && zmq_send (w->ctl.sock, "", 0, ZMQ_SNDMORE) == 0
                && zmq_send (w->ctl.sock, sb.data, sb.size, 0) >= 0;
    msgpack_sbuffer_destroy (&sb);
    double deadline = s_clock () + 5;
    size_t cap = 3 + 2 * 512, n = 0, total = 0;
    zmq_msg_t *frames = calloc (cap, sizeof *frames);
    uint64_t next = UINT64_MAX;
    for (;;) {
        if (!frames || !sent || s_wait (w->ctl.sock, deadline) <= 0) {
            free (frames);
            return UINT64_MAX;
        }
        if (s_recv (w->ctl.sock, frames, cap, &n, &total) && total == n && n >= 2
            && zmq_msg_size (&frames[0]) == name_len
            && memcmp (zmq_msg_data (&frames[0]), d->name, name_len) == 0)
            break;
        /* A late answer to an earlier request, or not an answer at all. */
        s_close_frames (frames, n);
    }
    /* [name, "", header, topic, body, …], or [name, refused] from a broker. */
    size_t h = zmq_msg_size (&frames[1]) == 0 ? 2 : 1;
    if (h >= n) {
        s_close_frames (frames, n);
        free (frames);
        return UINT64_MAX;
    }
    gl_wire_msg_t head;
    gl_wire_error_t err;
    gl_err_t rc = gl_wire_decode_msg (zmq_msg_data (&frames[h]),
                                      zmq_msg_size (&frames[h]),
                                      &s_client_limits, &head, &err);
    if (rc == GL_OK && s_type_is (&head, "refused")) {
        const msgpack_object *why = gl_wire_get (
            &head.root, w->out.lang == GL_LANG_EN ? "reason_en" : "reason_zh");
        fprintf (stderr, "gidlint watch: replay of '%s' refused: %.*s\n", d->name,
                 why && why->type == MSGPACK_OBJECT_STR ? (int) why->via.str.size : 0,
                 why && why->type == MSGPACK_OBJECT_STR ? why->via.str.ptr : "");
    }
    else if (rc == GL_OK && s_type_is (&head, "replay")
             && !s_from_daemon (&head, d->name)) {
        /* The request reached another daemon: --control is a broker's
         * load-balanced control endpoint, not its route endpoint.  Its
         * messages are not the ones missed. */
        fprintf (stderr, "gidlint watch: the replay of '%s' was answered by "
                 "another daemon: give --control the route endpoint of the "
                 "broker\n", d->name);
    }
    else if (rc == GL_OK && s_type_is (&head, "replay")) {
        const msgpack_object *gone = gl_wire_get (&head.root, "gone");
        for (uint32_t i = 0; gone && gone->type == MSGPACK_OBJECT_ARRAY
                             && i < gone->via.array.size; i++) {
            const msgpack_object *r = &gone->via.array.ptr[i];
            if (r->type == MSGPACK_OBJECT_ARRAY && r->via.array.size == 2
                && r->via.array.ptr[0].type == MSGPACK_OBJECT_POSITIVE_INTEGER
                && r->via.array.ptr[1].type == MSGPACK_OBJECT_POSITIVE_INTEGER)
                s_watch_lost (w, d, r->via.array.ptr[0].via.u64,
                              r->via.array.ptr[1].via.u64,
                              "no longer held by the daemon");
        }
        for (size_t i = h + 1; i + 1 < n; i += 2)
            if (s_watch_wanted (w, &frames[i]))
                s_watch_replayed (w, &frames[i + 1]);
        next = 0;
        gl_wire_get_u64 (&head.root, "next", &next);
    }
    gl_wire_msg_fini (&head);
    s_close_frames (frames, n);
    free (frames);
    return next;
}

/*  Asks daemon d for the messages of [from, to] this subscriber missed.   */
static void
s_watch_recover (s_watch_t *w, const s_stream_t *d, uint64_t from, uint64_t to)
{
    if (!w->recover) {
        if (w->gaps)
            s_watch_lost (w, d, from, to, "not asked for (--no-recover)");
        return;
    }
    if (!w->ctl.sock
        && !s_connect (&w->ctl, "watch", ZMQ_DEALER, w->control, 0, false)) {
        w->recover = false;
        s_watch_lost (w, d, from, to, "the control socket cannot be reached");
        return;
    }
    unsigned long long before = w->recovered;
    uint64_t first = from;
    while (from && from <= to) {
        uint64_t next = s_watch_replay (w, d, from, to);
        if (next == UINT64_MAX) {
            char why[600];
            snprintf (why, sizeof why, "'%s' did not answer the replay request",
                      w->control);
            s_watch_lost (w, d, from, to, why);
            /* A DEALER may still hold the request: start afresh. */
            s_close (&w->ctl);
            return;
        }
        from = next;
    }
    if (w->recovered > before)
        fprintf (stderr, "recovered %llu message%s of seq %llu..%llu of '%s'\n",
                 w->recovered - before, w->recovered - before == 1 ? "" : "s",
                 (unsigned long long) first, (unsigned long long) to, d->name);
}

/*  The stream of the daemon that sent msg (by its "daemon" field), added
 *  when new; NULL when out of memory or S_MAX_STREAMS daemons are followed
 *  already (a results socket is not expected to carry more).              */
static s_stream_t *
s_watch_stream (s_watch_t *w, const gl_wire_msg_t *msg)
{
    const msgpack_object *name = gl_wire_get (&msg->root, "daemon");
    const char *p = "";
    size_t len = 0;
    if (name && name->type == MSGPACK_OBJECT_STR
        && name->via.str.size < sizeof w->streams[0].name) {
        p = name->via.str.ptr;
        len = name->via.str.size;
    }
    for (size_t i = 0; i < w->n_streams; i++)
        if (strlen (w->streams[i].name) == len
            && memcmp (w->streams[i].name, p, len) == 0)
            return &w->streams[i];
    if (w->n_streams == S_MAX_STREAMS)
        return NULL;    /* not followed: its gaps go unnoticed */
    s_stream_t *grown = realloc (w->streams, (w->n_streams + 1) * sizeof *grown);
    if (!grown)
        return NULL;
    w->streams = grown;
    s_stream_t *d = &w->streams[w->n_streams++];
    memset (d, 0, sizeof *d);
    memcpy (d->name, p, len);
    return d;
}

/*  Notes a restart of the daemon (a new epoch) and gaps in seq, and
 *  recovers what was missed before msg is printed.                         */
static void
s_watch_track (s_watch_t *w, const gl_wire_msg_t *msg, bool numbered)
{
    uint64_t epoch, seq;
    s_stream_t *d = s_watch_stream (w, msg);
    if (!d)
        return;
    if (gl_wire_get_u64 (&msg->root, "epoch", &epoch)) {
        if (d->have_epoch && epoch != d->epoch) {
            fprintf (stderr, "daemon '%s' restarted: epoch %016llx -> %016llx\n",
                     d->name, (unsigned long long) d->epoch,
                     (unsigned long long) epoch);
            d->last_seq = 0;
            d->restarted = true;
        }
        d->have_epoch = true;
        d->epoch = epoch;
    }
    if (!numbered) {
        /* The periodic stats carry the last seq published: a gap at the
         * end of a burst shows here even when no result follows it. */
        if (s_type_is (msg, "stats") && d->seen && !d->restarted
            && gl_wire_get_u64 (&msg->root, "seq", &seq) && seq > d->last_seq) {
            s_watch_recover (w, d, d->last_seq + 1, seq);
            d->last_seq = seq;
        }
        return;
    }
    if (!gl_wire_get_u64 (&msg->root, "seq", &seq))
        return;
    /* The new daemon may have published before we reconnected: from 1. */
    if (d->restarted && seq > 1)
        s_watch_recover (w, d, 1, seq - 1);
    else if (d->seen && d->last_seq && seq > d->last_seq + 1)
        s_watch_recover (w, d, d->last_seq + 1, seq - 1);
    d->seen = true;
    d->restarted = false;
    d->last_seq = seq;
}

/*  Prints one message of the results socket.                               */
static void
s_watch_one (s_watch_t *w, zmq_msg_t *topic, zmq_msg_t *body)
{
    gl_wire_msg_t msg;
    gl_wire_error_t err;
    if (gl_wire_decode_msg (zmq_msg_data (body), zmq_msg_size (body),
                            &s_client_limits, &msg, &err) != GL_OK) {
        fprintf (stderr, "gidlint watch: a message on topic '%.*s' cannot be "
                         "read: %s\n", (int) zmq_msg_size (topic),
                 (const char *) zmq_msg_data (topic), err.why_en);
        gl_wire_msg_fini (&msg);
        return;
    }
    bool reject = s_type_is (&msg, "reject");
    bool numbered = reject || s_type_is (&msg, "result");
    s_watch_track (w, &msg, numbered);
    if (numbered || w->print_stats || !s_type_is (&msg, "stats"))
        s_watch_print (w, &msg, numbered, reject);
    gl_wire_msg_fini (&msg);
}

/*  The topic prefixes of the filter: each kind, for each source (or every
 *  source).  A source is written as gidlintd writes it in topics: '/' and
 *  control characters as '_'.                                              */
static bool
s_subscribe (void *sock, unsigned kinds, const s_list_t *sources, bool stats,
             s_list_t *prefixes)
{
    static const struct { unsigned kind; const char *prefix; } map[] = {
        { S_K_ERROR, "result/error/" }, { S_K_WARNING, "result/warning/" },
        { S_K_CLEAN, "result/clean/" }, { S_K_REJECT, "reject/" }
    };
    bool ok = true;
    for (size_t k = 0; k < sizeof map / sizeof map[0]; k++) {
        if (!(kinds & map[k].kind))
            continue;
        for (size_t s = 0; s < (sources->n ? sources->n : 1); s++) {
            char topic[512];
            const char *src = sources->n ? sources->items[s] : NULL;
            int n = snprintf (topic, sizeof topic, "%s%s%s", map[k].prefix,
                              src ? src : "", src ? "/" : "");
            if (n < 0 || (size_t) n >= sizeof topic)
                return false;
            ok &= zmq_setsockopt (sock, ZMQ_SUBSCRIBE, topic, (size_t) n) == 0;
            ok &= s_list_add (prefixes, strdup (topic));
        }
    }
    if (stats)
        ok &= zmq_setsockopt (sock, ZMQ_SUBSCRIBE, "stats/", 6) == 0;
    return ok;
}

static int
s_cmd_watch (int argc, char **argv)
{
    s_format_t format = S_TEXT;
    gl_lang_t lang = GL_LANG_ZH;
    unsigned kinds = 0;
    bool stats = false;
    unsigned long long count = 0;
    double timeout = 0;
    const char *results = NULL, *control = NULL;
    bool recover = true;
    s_list_t sources = { 0 };
    struct option longs[S_MAX_OPTS + 1];
    char shorts[2 * S_MAX_OPTS + 2];
    s_getopt_args (s_watch_opts, longs, shorts);
    int c, status = GL_EXIT_OK;
    opterr = 0;
    while (status == GL_EXIT_OK
           && (c = getopt_long (argc, argv, shorts, longs, NULL)) != -1) {
        switch (c) {
        case OPT_ERRORS:
            kinds |= S_K_ERROR;
            break;
        case OPT_WARNINGS:
            kinds |= S_K_ERROR | S_K_WARNING;
            break;
        case OPT_REJECTS:
            kinds |= S_K_REJECT;
            break;
        case OPT_SOURCE: {
            char *src = *optarg ? strdup (optarg) : strdup ("-");
            for (char *p = src; p && *p; p++)
                if (*p == '/' || (unsigned char) *p < 0x20 || *p == 0x7f)
                    *p = '_';
            if (!s_list_add (&sources, src)) {
                fprintf (stderr, "gidlint watch: out of memory\n");
                status = GL_EXIT_USAGE;
            }
            break;
        }
        case OPT_STATS:
            stats = true;
            break;
        case OPT_FORMAT:
            if (!s_parse_format ("watch", optarg, &format))
                status = GL_EXIT_USAGE;
            break;
        case OPT_LANG:
            if (!s_parse_lang ("watch", optarg, &lang))
                status = GL_EXIT_USAGE;
            break;
        case OPT_COUNT:
            if (!s_parse_count ("watch", optarg, &count))
                status = GL_EXIT_USAGE;
            break;
        case OPT_TIMEOUT:
            if (!s_parse_seconds ("watch", optarg, &timeout))
                status = GL_EXIT_USAGE;
            break;
        case OPT_RESULTS:
            results = optarg;
            break;
        case OPT_CONTROL:
            control = optarg;
            break;
        case OPT_NO_RECOVER:
            recover = false;
            break;
        case OPT_SERVER_KEY:
        case OPT_KEY:
            s_curve_option (c, optarg);
            break;
        case OPT_HELP:
            s_watch_help (stdout);
            s_list_free (&sources);
            return GL_EXIT_OK;
        default:
            status = s_bad_option ("watch", c, argv);
            break;
        }
    }
    if (status == GL_EXIT_OK && optind < argc) {
        fprintf (stderr, "gidlint watch: unexpected argument '%s'\n"
                         "Try 'gidlint watch --help'.\n", argv[optind]);
        status = GL_EXIT_USAGE;
    }
    if (status != GL_EXIT_OK) {
        s_list_free (&sources);
        return status;
    }
    s_watch_t w = { .gaps = kinds == 0 && sources.n == 0, .recover = recover,
                    .print_stats = stats };
    s_out_init (&w.out, format, lang);
    results = s_endpoint (results, "GIDLINT_RESULTS", S_DEFAULT_RESULTS);
    w.control = s_endpoint (control, "GIDLINT_CONTROL", S_DEFAULT_CONTROL);

    s_conn_t conn;
    if (!s_connect (&conn, "watch", ZMQ_SUB, results, 0, false)) {
        s_list_free (&sources);
        return GL_EXIT_USAGE;
    }
    /* The stats carry the last seq published: read them to recover. */
    bool subscribed = s_subscribe (conn.sock, kinds ? kinds : S_K_ALL,
                                   &sources, stats || recover, &w.prefixes);
    s_list_free (&sources);
    if (!subscribed) {
        fprintf (stderr, "gidlint watch: cannot subscribe: %s\n",
                 zmq_strerror (zmq_errno ()));
        s_close (&conn);
        s_list_free (&w.prefixes);
        return GL_EXIT_USAGE;
    }
    s_catch_signals ();
    /* --timeout counts from the last message printed: the stats read
     * only for their seq do not keep a silent watch alive. */
    double deadline = timeout > 0 ? s_clock () + timeout : -1;
    unsigned long long printed = 0;
    while (!count || w.printed < count) {
        if (w.printed != printed && timeout > 0) {
            printed = w.printed;
            deadline = s_clock () + timeout;
        }
        int r = s_wait (conn.sock, deadline);
        if (r == 0) {
            fprintf (stderr, "gidlint watch: nothing arrived within %g s\n",
                     timeout);
            status = GL_EXIT_TIMEOUT;
            break;
        }
        if (r < 0) {
            if (!s_interrupted) {
                fprintf (stderr, "gidlint watch: %s\n",
                         zmq_strerror (zmq_errno ()));
                status = GL_EXIT_USAGE;
            }
            break;
        }
        zmq_msg_t frames[2];
        size_t n, total;
        if (!s_recv (conn.sock, frames, 2, &n, &total))
            continue;
        if (total == 2)
            s_watch_one (&w, &frames[0], &frames[1]);
        else
            fprintf (stderr, "gidlint watch: ignoring a message of %zu "
                             "frames (want topic and body)\n", total);
        s_close_frames (frames, n);
    }
    if (w.recovered || w.lost)
        fprintf (stderr, "gidlint watch: %llu message%s recovered, %llu lost\n",
                 w.recovered, w.recovered == 1 ? "" : "s", w.lost);
    s_close (&w.ctl);
    free (w.streams);
    s_list_free (&w.prefixes);
    s_close (&conn);
    return s_flush () ? status : GL_EXIT_USAGE;
}

/*  ---------------------------------------------------------------------
 *  gidlint stats, gidlint health                                         */

static void
s_ask_help (FILE *out, const char *cmd)
{
    fprintf (out, "Usage: gidlint %s [OPTIONS]\n\n", cmd);
    if (strcmp (cmd, "stats") == 0)
        fputs ("Asks gidlintd for its counters: documents received, linted, "
               "rejected and\npublished, in flight, workers, latency "
               "percentiles, diagnostics per code.\n",
               out);
    else
        fputs ("Asks gidlintd whether it is up: its epoch (changes at every "
               "start), its name,\nand whether it is accepting documents "
               "(false while shutting down).\n",
               out);
    fputs ("Text output is one 'key: value' line each (nested keys as "
           "outer.inner).\n\nOptions:\n", out);
    s_print_opts (out, s_ask_opts);
    fputs ("\nEndpoint: --control, else $GIDLINT_CONTROL, else "
           S_DEFAULT_CONTROL ".\n"
           S_CURVE_HELP
           "Exit status: 0 answered, 2 usage error or no answer within "
           "--timeout.\n",
           out);
}

/*  stats and health: one request on the control socket, its reply printed. */
static int
s_cmd_ask (const char *cmd, int argc, char **argv)
{
    s_format_t format = S_TEXT;
    double timeout = 5;
    const char *control = NULL, *daemon = NULL;
    struct option longs[S_MAX_OPTS + 1];
    char shorts[2 * S_MAX_OPTS + 2];
    s_getopt_args (s_ask_opts, longs, shorts);
    int c;
    opterr = 0;
    while ((c = getopt_long (argc, argv, shorts, longs, NULL)) != -1) {
        switch (c) {
        case OPT_FORMAT:
            if (!s_parse_format (cmd, optarg, &format))
                return GL_EXIT_USAGE;
            break;
        case OPT_TIMEOUT:
            if (!s_parse_seconds (cmd, optarg, &timeout))
                return GL_EXIT_USAGE;
            break;
        case OPT_CONTROL:
            control = optarg;
            break;
        case OPT_DAEMON:
            daemon = optarg;
            break;
        case OPT_SERVER_KEY:
        case OPT_KEY:
            s_curve_option (c, optarg);
            break;
        case OPT_HELP:
            s_ask_help (stdout, cmd);
            return GL_EXIT_OK;
        default:
            return s_bad_option (cmd, c, argv);
        }
    }
    if (optind < argc) {
        fprintf (stderr, "gidlint %s: unexpected argument '%s'\n"
                         "Try 'gidlint %s --help'.\n", cmd, argv[optind], cmd);
        return GL_EXIT_USAGE;
    }
    control = s_endpoint (control, "GIDLINT_CONTROL", S_DEFAULT_CONTROL);
    bool stats = strcmp (cmd, "stats") == 0;

    msgpack_sbuffer sb;
    msgpack_sbuffer_init (&sb);
    if ((stats ? gl_wire_encode_stats_req (&sb)
               : gl_wire_encode_health_req (&sb)) != 0) {
        fprintf (stderr, "gidlint %s: out of memory\n", cmd);
        msgpack_sbuffer_destroy (&sb);
        return GL_EXIT_USAGE;
    }
    s_conn_t conn;
    if (!s_connect (&conn, cmd, ZMQ_DEALER, control, 0, false)) {
        msgpack_sbuffer_destroy (&sb);
        return GL_EXIT_USAGE;
    }
    s_catch_signals ();
    zmq_msg_t reply;
    gl_wire_msg_t msg;
    int rc = s_ask (cmd, control, daemon, conn.sock, &sb, s_clock () + timeout,
                    &reply, &msg);
    msgpack_sbuffer_destroy (&sb);
    int status = GL_EXIT_OK;
    if (rc == 0) {
        if (s_type_is (&msg, "refused")) {
            const msgpack_object *why = gl_wire_get (&msg.root, "reason_zh");
            fprintf (stderr, "gidlint %s: refused: %.*s\n", cmd,
                     why && why->type == MSGPACK_OBJECT_STR ? (int) why->via.str.size : 0,
                     why && why->type == MSGPACK_OBJECT_STR ? why->via.str.ptr : "");
            status = GL_EXIT_USAGE;
        }
        else if (!s_type_is (&msg, cmd)) {
            fprintf (stderr, "gidlint %s: unexpected reply of type '%.*s'\n",
                     cmd, (int) msg.type_len, msg.type);
            status = GL_EXIT_USAGE;
        }
        else if (format == S_JSON) {
            if (!s_print_json (&msg.root)) {
                fprintf (stderr, "gidlint %s: out of memory\n", cmd);
                status = GL_EXIT_USAGE;
            }
        }
        else
            s_print_kv (&msg.root);
        gl_wire_msg_fini (&msg);
        zmq_msg_close (&reply);
    }
    else {
        if (rc > 0)
            s_no_answer (cmd, control, timeout);
        status = GL_EXIT_USAGE;
    }
    s_close (&conn);
    return s_flush () ? status : GL_EXIT_USAGE;
}

/*  ---------------------------------------------------------------------
 *  gidlint rules                                                         */

static void
s_rules_help (FILE *out)
{
    fputs ("Usage: gidlint rules [--lang zh|en] [RULE...]\n"
           "\n"
           "Without RULE, lists every rule: code, name, default severity and "
           "summary.\nWith RULE (a code such as GID303 or a name such as "
           "balance), shows the\nrule in full: summary, documentation in "
           "Chinese and English, an example.\n"
           "\n"
           "Options:\n",
           out);
    s_print_opts (out, s_rules_opts);
}

static void
s_rules_list (gl_lang_t lang)
{
    int wname = 0;
    for (size_t i = 0; i < gl_rules_count (); i++) {
        int w = (int) strlen (gl_rule_at (i)->name);
        wname = w > wname ? w : wname;
    }
    for (size_t i = 0; i < gl_rules_count (); i++) {
        const gl_rule_t *r = gl_rule_at (i);
        printf ("%-6s  %-*s  %-7s  %s\n", r->code, wname, r->name,
                gl_severity_name (r->severity),
                lang == GL_LANG_EN ? r->summary_en : r->summary_zh);
    }
}

/*  Prints a Markdown table cell: '|' escaped, line breaks as spaces.       */
static void
s_md_cell (const char *text)
{
    fputs (" ", stdout);
    for (const char *p = text ? text : ""; *p; p++) {
        if (*p == '|')
            fputs ("\\|", stdout);
        else
            putchar (*p == '\n' || *p == '\t' ? ' ' : *p);
    }
    fputs (" |", stdout);
}

/*  The README's rule table (tests/test_readme.sh compares the two).        */
static void
s_rules_markdown (void)
{
    puts ("| code | name | severity | summary | 摘要 |");
    puts ("|---|---|---|---|---|");
    for (size_t i = 0; i < gl_rules_count (); i++) {
        const gl_rule_t *r = gl_rule_at (i);
        fputs ("|", stdout);
        s_md_cell (r->code);
        s_md_cell (r->name);
        s_md_cell (gl_severity_name (r->severity));
        s_md_cell (r->summary_en);
        s_md_cell (r->summary_zh);
        putchar ('\n');
    }
}

/*  Prints text with every line indented by four spaces.                    */
static void
s_print_block (const char *heading, const char *text)
{
    printf ("\n%s\n", heading);
    const char *p = text ? text : "";
    while (*p) {
        size_t n = strcspn (p, "\n");
        printf ("    %.*s\n", (int) n, p);
        p += n + (p[n] == '\n');
    }
}

static void
s_rules_show (const gl_rule_t *r)
{
    printf ("%s  %s  (%s)\n", r->code, r->name, gl_severity_name (r->severity));
    printf ("  %s\n  %s\n", r->summary_zh, r->summary_en);
    s_print_block ("说明", r->doc_zh);
    s_print_block ("Description", r->doc_en);
    s_print_block ("Example / 示例", r->example);
}

static int
s_cmd_rules (int argc, char **argv)
{
    gl_lang_t lang = GL_LANG_ZH;
    bool markdown = false;
    struct option longs[S_MAX_OPTS + 1];
    char shorts[2 * S_MAX_OPTS + 2];
    s_getopt_args (s_rules_opts, longs, shorts);

    int c;
    opterr = 0;
    while ((c = getopt_long (argc, argv, shorts, longs, NULL)) != -1) {
        switch (c) {
        case OPT_LANG:
            if (!s_parse_lang ("rules", optarg, &lang))
                return GL_EXIT_USAGE;
            break;
        case OPT_MARKDOWN:
            markdown = true;
            break;
        case OPT_HELP:
            s_rules_help (stdout);
            return GL_EXIT_OK;
        default:
            return s_bad_option ("rules", c, argv);
        }
    }
    if (optind == argc) {
        if (markdown)
            s_rules_markdown ();
        else
            s_rules_list (lang);
        return GL_EXIT_OK;
    }
    int status = GL_EXIT_OK;
    for (int i = optind; i < argc; i++) {
        const gl_rule_t *r = gl_rule_find (argv[i]);
        if (!r) {
            fprintf (stderr, "gidlint rules: unknown rule '%s'\n", argv[i]);
            status = GL_EXIT_USAGE;
            continue;
        }
        if (i > optind)
            putchar ('\n');
        s_rules_show (r);
    }
    return status;
}

/*  ---------------------------------------------------------------------
 *  gidlint keygen                                                        */

static void
s_keygen_help (FILE *out)
{
    fputs ("Usage: gidlint keygen [--force] NAME\n"
           "\n"
           "Makes a CURVE key pair for gidlintd or one of its clients and "
           "writes it as\ntwo ZeroMQ certificates (the format of czmq's zcert "
           "and pyzmq's zmq.auth):\n"
           "  NAME.key          the public key: give it to the other side "
           "(a client's goes\n"
           "                    into the daemon's allowed_keys_dir, the "
           "daemon's to every\n"
           "                    client, for --server-key)\n"
           "  NAME.key_secret   the public and the secret key, mode 0600: "
           "keep it (the\n"
           "                    daemon's secret_key_file, a client's --key)\n"
           "\n"
           "Options:\n",
           out);
    s_print_opts (out, s_keygen_opts);
    fputs ("\nExit status: 0 written, 2 usage error or a file exists (without "
           "--force) or\ncannot be written.\n",
           out);
}

static int
s_cmd_keygen (int argc, char **argv)
{
    bool force = false;
    struct option longs[S_MAX_OPTS + 1];
    char shorts[2 * S_MAX_OPTS + 2];
    s_getopt_args (s_keygen_opts, longs, shorts);
    int c;
    opterr = 0;
    while ((c = getopt_long (argc, argv, shorts, longs, NULL)) != -1) {
        switch (c) {
        case OPT_FORCE:
            force = true;
            break;
        case OPT_HELP:
            s_keygen_help (stdout);
            return GL_EXIT_OK;
        default:
            return s_bad_option ("keygen", c, argv);
        }
    }
    if (argc - optind != 1 || !*argv[optind]) {
        fprintf (stderr, "gidlint keygen: %s\nTry 'gidlint keygen --help'.\n",
                 optind >= argc ? "no NAME" : "one NAME only");
        return GL_EXIT_USAGE;
    }
    const char *name = argv[optind];
    gl_cert_t cert;
    char err[1024];
    if (gl_cert_generate (&cert, err, sizeof err) < 0
        || gl_cert_save (&cert, name, force, "gidlint", err, sizeof err) < 0) {
        gl_cert_wipe (&cert);
        fprintf (stderr, "gidlint keygen: %s\n", err);
        return GL_EXIT_USAGE;
    }
    printf ("%s.key         public key \"%s\"\n"
            "%s.key_secret  secret key (mode 0600)\n",
            name, cert.public_z85, name);
    gl_cert_wipe (&cert);
    return s_flush () ? GL_EXIT_OK : GL_EXIT_USAGE;
}

/*  ---------------------------------------------------------------------
 *  main                                                                  */

static void
s_help (FILE *out)
{
    fputs ("gidlint " GL_VERSION_STRING ": lints government information "
           "disclosure annual reports\n(政府信息公开工作年度报告) against the "
           "national format.\n"
           "\n"
           "Usage:\n"
           "  gidlint check [OPTIONS] FILE... | -   lint reports here "
           "('-' = standard input)\n"
           "  gidlint push [OPTIONS] FILE... | DIR  send reports to gidlintd; "
           "--wait prints\n"
           "                                        the results as check "
           "does\n"
           "  gidlint watch [OPTIONS]               print gidlintd's results "
           "as they are published\n"
           "  gidlint stats [OPTIONS]               gidlintd's counters\n"
           "  gidlint health [OPTIONS]              is gidlintd up and "
           "accepting?\n"
           "  gidlint rules [--lang zh|en] [RULE]   list the rules, or show "
           "one in full\n"
           "  gidlint keygen [--force] NAME         write a CURVE key pair: "
           "NAME.key,\n"
           "                                        NAME.key_secret\n"
           "  gidlint --help | --version\n"
           "\n"
           "'gidlint COMMAND --help' lists the options of a command.  The "
           "daemon's\nendpoints: --ingest, --results, --control, else "
           "$GIDLINT_INGEST,\n$GIDLINT_RESULTS, $GIDLINT_CONTROL, else "
           "tcp://127.0.0.1:7401, 7402, 7403.\n"
           "CURVE (README, Security): --server-key FILE and --key FILE, else\n"
           "$GIDLINT_SERVER_KEY and $GIDLINT_KEY; without them, plain.\n"
           "Exit status: 0 no error found, 1 errors found, "
           "2 usage, I/O or connection\nerror; watch: 3 nothing arrived "
           "within --timeout.\n",
           out);
}

int
main (int argc, char **argv)
{
    const char *cmd = argc > 1 ? argv[1] : NULL;
    if (!cmd) {
        s_help (stderr);
        return GL_EXIT_USAGE;
    }
    if (strcmp (cmd, "check") == 0)
        return s_cmd_check (argc - 1, argv + 1);
    if (strcmp (cmd, "push") == 0)
        return s_cmd_push (argc - 1, argv + 1);
    if (strcmp (cmd, "watch") == 0)
        return s_cmd_watch (argc - 1, argv + 1);
    if (strcmp (cmd, "stats") == 0 || strcmp (cmd, "health") == 0)
        return s_cmd_ask (cmd, argc - 1, argv + 1);
    if (strcmp (cmd, "rules") == 0)
        return s_cmd_rules (argc - 1, argv + 1);
    if (strcmp (cmd, "keygen") == 0)
        return s_cmd_keygen (argc - 1, argv + 1);
    if (strcmp (cmd, "--help") == 0 || strcmp (cmd, "-h") == 0
        || strcmp (cmd, "help") == 0) {
        s_help (stdout);
        return GL_EXIT_OK;
    }
    if (strcmp (cmd, "--version") == 0 || strcmp (cmd, "-V") == 0) {
        puts ("gidlint " GL_VERSION_STRING);
        return GL_EXIT_OK;
    }
    fprintf (stderr, "gidlint: unknown command '%s'\n"
                     "Try 'gidlint --help'.\n", cmd);
    return GL_EXIT_USAGE;
}
