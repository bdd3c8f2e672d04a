/*  gidlint.c: the gidlint command-line client.
 *
 *      gidlint check [--format text|json] [--lang zh|en] [--disable RULES]
 *                    [--max-bytes N] FILE... | -
 *      gidlint rules [--lang zh|en] [RULE...]
 *
 *  Offline: it links the engine and lints in process.  Output follows other
 *  linters: compiler-style text lines (file:line:col: severity CODE message)
 *  or JSON Lines, one object per document (gl_json.c, the field set the
 *  daemon shares).  Exit status: 0 no error found, 1 an error-severity
 *  diagnostic in some file, 2 a usage or I/O error (2 wins over 1).
 *
 *  The options of each command are one table (s_check_opts, s_rules_opts)
 *  from which both getopt_long's arguments and the --help text are made, so
 *  the two cannot disagree.
 */
#include <gidlint/gidlint.h>

#include "gl_json.h"

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

enum { GL_EXIT_OK = 0, GL_EXIT_ERRORS = 1, GL_EXIT_USAGE = 2 };

/*  ---------------------------------------------------------------------
 *  Option tables.                                                        */

enum {
    OPT_FORMAT = 'f',
    OPT_LANG = 'l',
    OPT_DISABLE = 'd',
    OPT_HELP = 'h',
    OPT_MAX_BYTES = 256,        /* long only                                 */
    OPT_MARKDOWN
};

typedef struct {
    const char *name;           /* long name                                 */
    int key;                    /* short letter when < 256                   */
    const char *arg;            /* argument name in --help, NULL for a flag  */
    const char *help;           /* NULL: accepted but not listed (internal)  */
} s_opt_t;

#define S_MAX_OPTS 8

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

static bool
s_parse_lang (const char *cmd, const char *arg, gl_lang_t *lang)
{
    if (strcasecmp (arg, "zh") == 0)
        *lang = GL_LANG_ZH;
    else if (strcasecmp (arg, "en") == 0)
        *lang = GL_LANG_EN;
    else {
        fprintf (stderr, "gidlint %s: unknown language '%s' (zh or en)\n",
                 cmd, arg);
        return false;
    }
    return true;
}

/*  ---------------------------------------------------------------------
 *  gidlint check                                                         */

typedef enum { S_TEXT, S_JSON } s_format_t;

typedef struct {
    s_format_t format;
    gl_lang_t lang;
    bool color;                 /* colour the severity word                  */
    size_t n_files;             /* documents linted                          */
    size_t count[GL_SEV_ERROR + 1];     /* diagnostics per severity          */
    bool io_error;              /* a file could not be read or printed       */
} s_check_t;

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

/*  Writes a value as text into buf; returns the text.                      */
static const char *
s_value_text (const gl_value_t *v, char *buf, size_t size)
{
    switch (v->kind) {
    case GL_VAL_INT:
        snprintf (buf, size, "%lld", (long long) v->i);
        return buf;
    case GL_VAL_NUM:
        snprintf (buf, size, "%.15g", v->d);
        return buf;
    case GL_VAL_STR:
        return v->s ? v->s : "";
    case GL_VAL_NONE:
        break;
    }
    return NULL;
}

static const char *
s_sev_color (gl_severity_t sev)
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

static void
s_print_text (s_check_t *self, const char *file, const gl_doc_t *doc)
{
    size_t n;
    const gl_diag_t *d = gl_doc_diags (doc, &n);
    for (size_t i = 0; i < n; i++) {
        printf ("%s:%u:%u: %s%s%s %s %s", file, (unsigned) d[i].pos.line,
                (unsigned) d[i].pos.column,
                self->color ? s_sev_color (d[i].severity) : "",
                gl_severity_name (d[i].severity), self->color ? "\033[0m" : "",
                d[i].code, d[i].message);
        char eb[48], ab[48];
        const char *exp = s_value_text (&d[i].expected, eb, sizeof eb);
        const char *act = s_value_text (&d[i].actual, ab, sizeof ab);
        if (exp && act)
            printf (self->lang == GL_LANG_EN ? " [expected %s, actual %s]"
                                             : " [应为 %s，实际 %s]",
                    exp, act);
        else if (exp)
            printf (self->lang == GL_LANG_EN ? " [expected %s]" : " [应为 %s]",
                    exp);
        else if (act)
            printf (self->lang == GL_LANG_EN ? " [actual %s]" : " [实际 %s]",
                    act);
        putchar ('\n');
    }
}

static void
s_print_summary (const s_check_t *self)
{
    size_t files = self->n_files, e = self->count[GL_SEV_ERROR],
           w = self->count[GL_SEV_WARNING], i = self->count[GL_SEV_INFO];
    if (self->lang == GL_LANG_EN)
        printf ("%zu file%s checked: %zu error%s, %zu warning%s, %zu info%s\n",
                files, files == 1 ? "" : "s", e, e == 1 ? "" : "s", w,
                w == 1 ? "" : "s", i, i == 1 ? "" : "s");
    else
        printf ("共检查 %zu 个文件：%zu 个错误，%zu 个警告，%zu 个提示\n", files,
                e, w, i);
}

/*  Reads and lints one file ("-" is standard input) and prints its
 *  diagnostics.  A file that cannot be read is reported on stderr and
 *  remembered in self->io_error; the others are still checked.             */
static void
s_check_file (s_check_t *self, const gl_engine_t *engine, const char *path)
{
    bool is_stdin = strcmp (path, "-") == 0;
    const char *name = is_stdin ? "<stdin>" : path;
    FILE *f = is_stdin ? stdin : fopen (path, "rb");
    char *bytes = NULL;
    size_t len = 0;
    int err = f ? s_read_all (f, &bytes, &len) : errno;
    if (f && !is_stdin)
        fclose (f);
    if (err) {
        fprintf (stderr, "gidlint: %s: %s\n", name, strerror (err));
        self->io_error = true;
        return;
    }

    gl_doc_t *doc = NULL;
    gl_err_t rc = gl_engine_lint (engine, bytes, len, self->lang, &doc);
    free (bytes);
    if (rc != GL_OK) {
        fprintf (stderr, "gidlint: %s: %s\n", name, gl_strerror (rc));
        self->io_error = true;
        return;
    }
    self->n_files++;
    for (int sev = GL_SEV_INFO; sev <= GL_SEV_ERROR; sev++)
        self->count[sev] += gl_doc_count (doc, (gl_severity_t) sev);

    if (self->format == S_JSON) {
        json_t *obj = gl_cli_doc_json (name, doc);
        char *line = obj ? json_dumps (obj, JSON_COMPACT) : NULL;
        if (line)
            puts (line);
        else {
            fprintf (stderr, "gidlint: %s: cannot encode as JSON\n", name);
            self->io_error = true;
        }
        free (line);
        json_decref (obj);
    }
    else
        s_print_text (self, name, doc);
    gl_doc_destroy (&doc);
}

static int
s_cmd_check (int argc, char **argv)
{
    s_check_t self = { .format = S_TEXT, .lang = GL_LANG_ZH };
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
            if (strcmp (optarg, "text") == 0)
                self.format = S_TEXT;
            else if (strcmp (optarg, "json") == 0)
                self.format = S_JSON;
            else {
                fprintf (stderr, "gidlint check: unknown format '%s' "
                                 "(text or json)\n", optarg);
                status = GL_EXIT_USAGE;
            }
            break;
        case OPT_LANG:
            if (!s_parse_lang ("check", optarg, &self.lang))
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

    const char *no_color = getenv ("NO_COLOR");
    self.color = self.format == S_TEXT && isatty (STDOUT_FILENO)
                 && !(no_color && *no_color);
    for (int i = optind; i < argc; i++)
        s_check_file (&self, engine, argv[i]);
    gl_engine_destroy (&engine);
    if (self.format == S_TEXT)
        s_print_summary (&self);

    if (fflush (stdout) != 0 || ferror (stdout)) {
        fprintf (stderr, "gidlint: write error: %s\n", strerror (errno));
        self.io_error = true;
    }
    if (self.io_error)
        return GL_EXIT_USAGE;
    return self.count[GL_SEV_ERROR] ? GL_EXIT_ERRORS : GL_EXIT_OK;
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
 *  main                                                                  */

static void
s_help (FILE *out)
{
    fputs ("gidlint " GL_VERSION_STRING ": lints government information "
           "disclosure annual reports\n(政府信息公开工作年度报告) against the "
           "national format.\n"
           "\n"
           "Usage:\n"
           "  gidlint check [OPTIONS] FILE... | -   lint reports "
           "('-' = standard input)\n"
           "  gidlint rules [--lang zh|en] [RULE]   list the rules, or show "
           "one in full\n"
           "  gidlint --help | --version\n"
           "\n"
           "'gidlint check --help' lists the options of check.\n"
           "Exit status: 0 no error found, 1 errors found, "
           "2 usage or I/O error.\n",
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
    if (strcmp (cmd, "rules") == 0)
        return s_cmd_rules (argc - 1, argv + 1);
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
