/*  gl_settings.c: settings tables, the INI file (libinih), the command
 *  line, --help, --print-config, and logging.  See gl_settings.h.
 *
 *  Every setting has one name, "section.key", used by the file
 *  ([section] key = value) and by its long option.  A program's table is
 *  its single list of settings: parsing, --help and --print-config all
 *  come from it, so they cannot disagree.
 */
#define _GNU_SOURCE             /* getopt_long */
#include "gl_settings.h"

#include <errno.h>
#include <getopt.h>
#include <ini.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "gidlint/gidlint.h"    /* GL_VERSION_STRING */

static const char *const s_levels[] = { "error", "warn", "info", "debug" };

static const struct {
    const char *word;
    bool value;
} s_bools[] = { { "on", true }, { "off", false }, { "true", true },
                { "false", false }, { "yes", true }, { "no", false },
                { "1", true }, { "0", false } };

int
gl_errf (char *err, size_t err_len, const char *fmt, ...)
{
    va_list ap;
    va_start (ap, fmt);
    vsnprintf (err, err_len, fmt, ap);
    va_end (ap);
    return -1;
}

int
gl_settings_set (const gl_program_t *p, void *cfg, const char *section,
                 const char *key, const char *value, char *err, size_t err_len)
{
    if (p->set_hook) {
        int rc = p->set_hook (cfg, section, key, value, err, err_len);
        if (rc <= 0)
            return rc;
    }
    const gl_setting_t *st = NULL;
    for (size_t i = 0; i < p->n_settings && !st; i++)
        if (strcmp (p->settings[i].section, section) == 0
            && strcmp (p->settings[i].key, key) == 0)
            st = &p->settings[i];
    if (!st)
        return gl_errf (err, err_len, "unknown setting %s.%s", section, key);
    char *field = (char *) cfg + st->offset;
    char *end = NULL;
    errno = 0;
    switch (st->type) {
    case GL_SET_STR:
        if (strlen (value) >= st->size)
            return gl_errf (err, err_len, "%s.%s is too long", section, key);
        snprintf (field, st->size, "%s", value);
        return 0;
    case GL_SET_INT: {
        long v = strtol (value, &end, 10);
        if (errno || !*value || *end || v < 0 || v > 1000000)
            return gl_errf (err, err_len, "%s.%s: '%s' is not a count",
                          section, key, value);
        *(int *) field = (int) v;
        return 0;
    }
    case GL_SET_SIZE: {
        unsigned long long v = strtoull (value, &end, 10);
        if (errno || !*value || *end || v == 0 || v > (1ull << 32))
            return gl_errf (err, err_len, "%s.%s: '%s' is not a size in bytes "
                          "(1 to 4 GiB)", section, key, value);
        *(size_t *) field = (size_t) v;
        return 0;
    }
    case GL_SET_SECONDS: {
        double v = strtod (value, &end);
        if (errno || !*value || *end || v < 0 || v > 86400)
            return gl_errf (err, err_len, "%s.%s: '%s' is not a number of "
                          "seconds", section, key, value);
        *(double *) field = v;
        return 0;
    }
    case GL_SET_RATE: {
        double v = strtod (value, &end);
        if (errno || !*value || *end || !(v >= 0 && v <= 1e7))
            return gl_errf (err, err_len, "%s.%s: '%s' is not a number of "
                          "requests a second", section, key, value);
        *(double *) field = v;
        return 0;
    }
    case GL_SET_LEVEL:
        for (int l = 0; l <= GL_LOG_DEBUG; l++)
            if (strcasecmp (value, s_levels[l]) == 0) {
                *(gl_log_level_t *) field = (gl_log_level_t) l;
                return 0;
            }
        return gl_errf (err, err_len, "%s.%s: '%s' is not error, warn, info or "
                      "debug", section, key, value);
    case GL_SET_BOOL:
        for (size_t i = 0; i < sizeof s_bools / sizeof s_bools[0]; i++)
            if (strcasecmp (value, s_bools[i].word) == 0) {
                *(bool *) field = s_bools[i].value;
                return 0;
            }
        return gl_errf (err, err_len, "%s.%s: '%s' is not on or off", section,
                      key, value);
    case GL_SET_CUSTOM:
        if (!p->set_custom)
            return gl_errf (err, err_len, "%s.%s cannot be set", section, key);
        return p->set_custom (cfg, st, value, err, err_len);
    }
    return -1;
}

typedef struct {
    const gl_program_t *p;
    void *cfg;
    char *err;
    size_t err_len;
    int failed;
} gl_ini_ctx_t;

static int
s_ini_handler (void *user, const char *section, const char *name,
               const char *value)
{
    gl_ini_ctx_t *ctx = user;
    if (ctx->failed)
        return 0;
    if (gl_settings_set (ctx->p, ctx->cfg, section, name, value, ctx->err,
                         ctx->err_len) < 0) {
        ctx->failed = 1;
        return 0;
    }
    return 1;
}

int
gl_settings_load (const gl_program_t *p, void *cfg, const char *path,
                  char *err, size_t err_len)
{
    char why[256] = "";
    gl_ini_ctx_t ctx = { p, cfg, why, sizeof why, 0 };
    int rc = ini_parse (path, s_ini_handler, &ctx);
    if (rc < 0)
        return gl_errf (err, err_len, "%s: cannot read: %s", path,
                      strerror (errno));
    if (rc > 0)
        return gl_errf (err, err_len, "%s:%d: %s", path, rc,
                      ctx.failed ? why : "syntax error");
    return 0;
}

/*  The defaults, keeping the --config path (which is not a setting).      */
static void
s_defaults (const gl_program_t *p, void *cfg)
{
    char *file = (char *) cfg + p->config_file_offset;
    char keep[1024];
    snprintf (keep, sizeof keep, "%s", file);
    p->defaults (cfg);
    snprintf (file, p->config_file_size, "%s", keep);
}

int
gl_settings_resolve (const gl_program_t *p, void *cfg, const gl_flags_t *flags,
                     char *err, size_t err_len)
{
    s_defaults (p, cfg);
    const char *file = (const char *) cfg + p->config_file_offset;
    char path[1024];
    snprintf (path, sizeof path, "%s", file);
    if (path[0] && gl_settings_load (p, cfg, path, err, err_len) < 0)
        return -1;
    for (size_t i = 0; i < flags->n; i++) {
        char why[256];
        if (gl_settings_set (p, cfg, flags->set[i].section, flags->set[i].key,
                             flags->set[i].value, why, sizeof why) < 0)
            return gl_errf (err, err_len, "option %s: %s", flags->set[i].key, why);
    }
    return p->check ? p->check (cfg, err, err_len) : 0;
}

size_t
gl_settings_keep (const gl_program_t *p, void *cfg, const void *running,
                  char *changed, size_t changed_len)
{
    size_t n = 0, o = 0;
    if (changed_len)
        changed[0] = '\0';
    for (size_t i = 0; i < p->n_settings; i++) {
        const gl_setting_t *st = &p->settings[i];
        if (!st->restart)
            continue;
        char *now = (char *) cfg + st->offset;
        const char *was = (const char *) running + st->offset;
        bool differ = st->type == GL_SET_STR ? strncmp (now, was, st->size) != 0
                                             : memcmp (now, was, st->size) != 0;
        if (differ && o < changed_len) {
            int k = snprintf (changed + o, changed_len - o, "%s%s.%s",
                              n ? ", " : "", st->section, st->key);
            o = k < 0 ? changed_len : o + (size_t) k;
        }
        n += differ;
        memcpy (now, was, st->size);
    }
    return n;
}

void
gl_settings_print (const gl_program_t *p, const void *cfg, FILE *out)
{
    const char *section = "";
    for (size_t i = 0; i < p->n_settings; i++) {
        const gl_setting_t *st = &p->settings[i];
        if (strcmp (section, st->section) != 0) {
            fprintf (out, "%s[%s]\n", i ? "\n" : "", st->section);
            section = st->section;
        }
        const char *field = (const char *) cfg + st->offset;
        fprintf (out, "; %s\n%s = ", st->help, st->key);
        switch (st->type) {
        case GL_SET_STR:
            fprintf (out, "%s\n", field);
            break;
        case GL_SET_INT:
            fprintf (out, "%d\n", *(const int *) field);
            break;
        case GL_SET_SIZE:
            fprintf (out, "%zu\n", *(const size_t *) field);
            break;
        case GL_SET_SECONDS:
        case GL_SET_RATE:
            fprintf (out, "%g\n", *(const double *) field);
            break;
        case GL_SET_LEVEL:
            fprintf (out, "%s\n", s_levels[*(const gl_log_level_t *) field]);
            break;
        case GL_SET_BOOL:
            fprintf (out, "%s\n", *(const bool *) field ? "on" : "off");
            break;
        case GL_SET_CUSTOM:
            if (p->print_custom)
                p->print_custom (cfg, st, out);
            else
                fprintf (out, "\n");
            break;
        }
    }
}

/*  The long option of setting i: its key with '-' for '_', or
 *  section-key when another section has the same key ([frontend] ingest
 *  and [backend] ingest: --frontend-ingest, --backend-ingest).             */
static void
s_option_name (const gl_program_t *p, size_t i, char *buf, size_t len)
{
    const gl_setting_t *st = &p->settings[i];
    bool shared = false;
    for (size_t j = 0; j < p->n_settings && !shared; j++)
        shared = j != i && strcmp (p->settings[j].key, st->key) == 0;
    if (shared)
        snprintf (buf, len, "%s-%s", st->section, st->key);
    else
        snprintf (buf, len, "%s", st->key);
    for (char *c = buf; *c; c++)
        if (*c == '_')
            *c = '-';
}

static void
s_usage (const gl_program_t *p, FILE *out)
{
    fprintf (out, "usage: %s [--config FILE] [--SETTING VALUE]...%s\n"
                  "       %s --print-config | --help | --version\n\n%s\n\n",
             p->name, p->usage_extra ? p->usage_extra : "", p->name,
             p->description);
    fprintf (out, "  %-24s %s\n", "--config FILE",
             "INI file ([section] key = value); SIGHUP rereads it");
    if (p->pair_option) {
        char opt[64];
        snprintf (opt, sizeof opt, "--%s %s", p->pair_option, p->pair_arg);
        fprintf (out, "  %-24s %s\n", opt, p->pair_help);
    }
    fprintf (out, "  %-24s %s\n\n", "--print-config",
             "print the effective configuration and exit");
    fprintf (out, "Settings (also keys of the INI file, under [section]):\n");
    for (size_t i = 0; i < p->n_settings; i++) {
        char opt[64];
        s_option_name (p, i, opt, sizeof opt);
        fprintf (out, "  --%-22s [%s] %s: %s\n", opt, p->settings[i].section,
                 p->settings[i].key, p->settings[i].help);
    }
    fprintf (out, "\n%s", p->epilogue);
}

int
gl_settings_parse_args (const gl_program_t *p, int argc, char **argv,
                        void *cfg, gl_flags_t *flags)
{
    enum { OPT_CONFIG = 1000, OPT_PAIR, OPT_PRINT, OPT_HELP, OPT_VERSION,
           OPT_SETTING };
    size_t n_opts = p->n_settings + 6;
    struct option *opts = calloc (n_opts, sizeof *opts);
    char (*names)[64] = calloc (p->n_settings ? p->n_settings : 1, sizeof *names);
    if (!opts || !names) {
        free (opts);
        free (names);
        fprintf (stderr, "%s: out of memory\n", p->name);
        return -1;
    }
    size_t n = 0;
    opts[n++] = (struct option) { "config", required_argument, NULL, OPT_CONFIG };
    if (p->pair_option)
        opts[n++] = (struct option) { p->pair_option, required_argument, NULL,
                                      OPT_PAIR };
    opts[n++] = (struct option) { "print-config", no_argument, NULL, OPT_PRINT };
    opts[n++] = (struct option) { "help", no_argument, NULL, OPT_HELP };
    opts[n++] = (struct option) { "version", no_argument, NULL, OPT_VERSION };
    for (size_t i = 0; i < p->n_settings; i++) {
        s_option_name (p, i, names[i], sizeof names[i]);
        opts[n++] = (struct option) { names[i], required_argument, NULL,
                                      OPT_SETTING + (int) i };
    }
    opts[n] = (struct option) { 0 };
    char *file = (char *) cfg + p->config_file_offset;
    file[0] = '\0';
    s_defaults (p, cfg);
    flags->n = 0;
    bool print = false;
    int c, rc = 0;
    optind = 1;
    while (rc == 0 && (c = getopt_long (argc, argv, "", opts, NULL)) != -1) {
        if (flags->n == sizeof flags->set / sizeof flags->set[0]) {
            fprintf (stderr, "%s: too many options\n", p->name);
            rc = -1;
            break;
        }
        switch (c) {
        case OPT_CONFIG:
            snprintf (file, p->config_file_size, "%s", optarg);
            break;
        case OPT_PAIR: {
            char *eq = strchr (optarg, '=');
            if (!eq) {
                fprintf (stderr, "%s: --%s wants %s\n", p->name, p->pair_option,
                         p->pair_arg);
                rc = -1;
                break;
            }
            *eq = '\0';
            flags->set[flags->n].section = p->pair_section;
            flags->set[flags->n].key = optarg;
            flags->set[flags->n++].value = eq + 1;
            break;
        }
        case OPT_PRINT:
            print = true;
            break;
        case OPT_HELP:
            s_usage (p, stdout);
            rc = 1;
            break;
        case OPT_VERSION:
            printf ("%s %s\n", p->name, GL_VERSION_STRING);
            rc = 1;
            break;
        case '?':
            s_usage (p, stderr);
            rc = -1;
            break;
        default:
            if (c >= OPT_SETTING && c < OPT_SETTING + (int) p->n_settings) {
                const gl_setting_t *st = &p->settings[c - OPT_SETTING];
                flags->set[flags->n].section = st->section;
                flags->set[flags->n].key = st->key;
                flags->set[flags->n++].value = optarg;
            }
            break;
        }
    }
    free (opts);
    free (names);
    if (rc != 0)
        return rc;
    if (optind < argc) {
        fprintf (stderr, "%s: unexpected argument '%s'\n", p->name, argv[optind]);
        return -1;
    }
    char err[512];
    if (gl_settings_resolve (p, cfg, flags, err, sizeof err) < 0) {
        fprintf (stderr, "%s: %s\n", p->name, err);
        return -1;
    }
    if (print) {
        gl_settings_print (p, cfg, stdout);
        return 1;
    }
    return 0;
}

/*  ---------------------------------------------------------------------
 *  Logging.  The level is process state of the program (not of the
 *  engine).  Atomic: worker, device and ZAP threads log too.             */

static atomic_int s_log_level = GL_LOG_INFO;

void
gl_log_set_level (gl_log_level_t level)
{
    atomic_store (&s_log_level, (int) level);
}

void
gl_log (gl_log_level_t level, const char *fmt, ...)
{
    if ((int) level > atomic_load (&s_log_level))
        return;
    struct timespec ts;
    clock_gettime (CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r (&ts.tv_sec, &tm);
    char line[2048];
    int n = snprintf (line, sizeof line,
                      "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ %-5s ",
                      tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                      tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000,
                      s_levels[level]);
    va_list ap;
    va_start (ap, fmt);
    vsnprintf (line + n, sizeof line - (size_t) n, fmt, ap);
    va_end (ap);
    /* One write per line, so lines from threads do not interleave. */
    fprintf (stderr, "%s\n", line);
}
