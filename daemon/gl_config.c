/*  gl_config.c: defaults, the INI file (libinih), the command line, logging.
 *
 *  Every setting has one name, "section.key", used by the file
 *  ([section] key = value) and by the long option --key.  The table below
 *  is the single list of settings: parsing, --help and --print-config all
 *  come from it.
 */
#define _GNU_SOURCE             /* getopt_long */
#include "gl_config.h"

#include <errno.h>
#include <getopt.h>
#include <ini.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

typedef enum { T_STR, T_INT, T_SIZE, T_SECONDS, T_RATE, T_LEVEL, T_BOOL,
               T_RULES } gl_type_t;

typedef struct {
    const char *section;
    const char *key;
    gl_type_t type;
    size_t offset;
    size_t size;                /* for T_STR                                */
    const char *help;
} gl_setting_t;

#define F(m) offsetof (gl_config_t, m), sizeof (((gl_config_t *) 0)->m)

static const gl_setting_t s_settings[] = {
    { "daemon", "name", T_STR, F (name), "name of this daemon, sent in every result" },
    { "daemon", "workers", T_INT, F (workers), "lint threads (0: one per core)" },
    { "daemon", "log_level", T_LEVEL, F (log_level), "error, warn, info or debug" },
    { "daemon", "stats_interval", T_SECONDS, F (stats_interval),
      "seconds between stats messages on the results socket (0: never)" },
    { "endpoints", "ingest", T_STR, F (ingest),
      "PULL socket producers push documents to (\">ENDPOINT\" connects to a "
      "broker; a comma-separated list attaches to each)" },
    { "endpoints", "results", T_STR, F (results), "PUB socket results are published on" },
    { "endpoints", "control", T_STR, F (control),
      "ROUTER socket for lint-and-wait, health, stats, replay; behind a broker, "
      "its control and route backends" },
    { "limits", "max_document", T_SIZE, F (max_document), "largest document, bytes (GID003 beyond)" },
    { "limits", "max_message", T_SIZE, F (max_message),
      "largest wire message, bytes (GID003 beyond; beyond twice this the "
      "sender is disconnected)" },
    { "limits", "ingest_hwm", T_INT, F (ingest_hwm), "messages queued on the ingest socket" },
    { "limits", "results_hwm", T_INT, F (results_hwm),
      "messages queued per subscriber before PUB drops" },
    { "limits", "control_hwm", T_INT, F (control_hwm), "messages queued on the control socket" },
    { "limits", "max_in_flight", T_INT, F (max_in_flight),
      "documents taken and not yet answered; beyond it sockets are not read" },
    { "limits", "max_in_flight_bytes", T_SIZE, F (max_in_flight_bytes),
      "bytes of the documents taken and not yet answered; beyond it sockets "
      "are not read" },
    { "limits", "ring_size", T_INT, F (ring_size),
      "published results kept for replay and resent documents (at least 1)" },
    { "limits", "ring_bytes", T_SIZE, F (ring_bytes),
      "size of the buffer the ring keeps published results in, bytes" },
    { "limits", "control_rate", T_RATE, F (control_rate),
      "control requests a second per connection (0: no limit)" },
    { "limits", "control_burst", T_RATE, F (control_burst),
      "control requests a connection may send at once above the rate" },
    { "limits", "drain_grace", T_SECONDS, F (drain_grace),
      "seconds ingest is still read after SIGTERM" },
    { "limits", "shutdown_timeout", T_SECONDS, F (shutdown_timeout),
      "seconds allowed to finish in-flight documents on SIGTERM" },
    { "security", "curve", T_BOOL, F (curve),
      "on: CURVE encryption and client keys on every socket (use it off loopback)" },
    { "security", "secret_key_file", T_STR, F (secret_key_file),
      "the daemon's secret certificate (NAME.key_secret of gidlint keygen)" },
    { "security", "allowed_keys_dir", T_STR, F (allowed_keys_dir),
      "public certificates (*.key) of the clients let in; SIGHUP rereads it" },
    { "security", "broker_key_file", T_STR, F (broker_key_file),
      "public certificate of the gidlint-broker this daemon connects to" },
    { "rules", "disable", T_RULES, 0, 0, "rules to turn off, codes or names, comma-separated" },
};

#define N_SETTINGS (sizeof s_settings / sizeof s_settings[0])

void
gl_config_defaults (gl_config_t *cfg)
{
    memset (cfg, 0, sizeof *cfg);
    snprintf (cfg->name, sizeof cfg->name, "gidlintd");
    snprintf (cfg->ingest, sizeof cfg->ingest, "tcp://127.0.0.1:7401");
    snprintf (cfg->results, sizeof cfg->results, "tcp://127.0.0.1:7402");
    snprintf (cfg->control, sizeof cfg->control, "tcp://127.0.0.1:7403");
    cfg->workers = 0;
    cfg->log_level = GL_LOG_INFO;
    cfg->stats_interval = 10;
    cfg->max_document = GL_DEFAULT_MAX_BYTES;
    cfg->max_message = GL_DEFAULT_MAX_BYTES + 64 * 1024;
    cfg->ingest_hwm = 1000;
    cfg->results_hwm = 10000;
    cfg->control_hwm = 1000;
    cfg->max_in_flight = 256;
    cfg->max_in_flight_bytes = 64 * 1024 * 1024;
    cfg->ring_size = 10000;
    cfg->ring_bytes = 16 * 1024 * 1024;
    cfg->control_rate = 5000;
    cfg->control_burst = 10000;
    cfg->drain_grace = 0.2;
    cfg->shutdown_timeout = 30;
}

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

static int
s_rule_setting (gl_config_t *cfg, const char *code, gl_severity_t sev,
                char *err, size_t err_len)
{
    if (!gl_rule_find (code))
        return gl_errf (err, err_len, "unknown rule '%s'", code);
    if (cfg->n_rules == GL_CONFIG_MAX_RULE_SETTINGS)
        return gl_errf (err, err_len, "too many rule settings");
    gl_rule_setting_t *r = &cfg->rules[cfg->n_rules++];
    snprintf (r->code, sizeof r->code, "%s", code);
    r->severity = sev;
    return 0;
}

int
gl_config_set (gl_config_t *cfg, const char *section, const char *key,
               const char *value, char *err, size_t err_len)
{
    /* [rules] GID204 = error: a severity override. */
    if (strcmp (section, "rules") == 0 && strcmp (key, "disable") != 0) {
        int sev = gl_severity_parse (value);
        if (sev < 0)
            return gl_errf (err, err_len, "rules.%s: '%s' is not off, info, "
                          "warning or error", key, value);
        return s_rule_setting (cfg, key, (gl_severity_t) sev, err, err_len);
    }
    const gl_setting_t *st = NULL;
    for (size_t i = 0; i < N_SETTINGS && !st; i++)
        if (strcmp (s_settings[i].section, section) == 0
            && strcmp (s_settings[i].key, key) == 0)
            st = &s_settings[i];
    if (!st)
        return gl_errf (err, err_len, "unknown setting %s.%s", section, key);
    char *field = (char *) cfg + st->offset;
    char *end = NULL;
    errno = 0;
    switch (st->type) {
    case T_STR:
        if (strlen (value) >= st->size)
            return gl_errf (err, err_len, "%s.%s is too long", section, key);
        snprintf (field, st->size, "%s", value);
        return 0;
    case T_INT: {
        long v = strtol (value, &end, 10);
        if (errno || !*value || *end || v < 0 || v > 1000000)
            return gl_errf (err, err_len, "%s.%s: '%s' is not a count",
                          section, key, value);
        *(int *) field = (int) v;
        return 0;
    }
    case T_SIZE: {
        unsigned long long v = strtoull (value, &end, 10);
        if (errno || !*value || *end || v == 0 || v > (1ull << 32))
            return gl_errf (err, err_len, "%s.%s: '%s' is not a size in bytes "
                          "(1 to 4 GiB)", section, key, value);
        *(size_t *) field = (size_t) v;
        return 0;
    }
    case T_SECONDS: {
        double v = strtod (value, &end);
        if (errno || !*value || *end || v < 0 || v > 86400)
            return gl_errf (err, err_len, "%s.%s: '%s' is not a number of "
                          "seconds", section, key, value);
        *(double *) field = v;
        return 0;
    }
    case T_RATE: {
        double v = strtod (value, &end);
        if (errno || !*value || *end || !(v >= 0 && v <= 1e7))
            return gl_errf (err, err_len, "%s.%s: '%s' is not a number of "
                          "requests a second", section, key, value);
        *(double *) field = v;
        return 0;
    }
    case T_LEVEL:
        for (int l = 0; l <= GL_LOG_DEBUG; l++)
            if (strcasecmp (value, s_levels[l]) == 0) {
                *(gl_log_level_t *) field = (gl_log_level_t) l;
                return 0;
            }
        return gl_errf (err, err_len, "%s.%s: '%s' is not error, warn, info or "
                      "debug", section, key, value);
    case T_BOOL:
        for (size_t i = 0; i < sizeof s_bools / sizeof s_bools[0]; i++)
            if (strcasecmp (value, s_bools[i].word) == 0) {
                *(bool *) field = s_bools[i].value;
                return 0;
            }
        return gl_errf (err, err_len, "%s.%s: '%s' is not on or off", section,
                      key, value);
    case T_RULES: {
        char buf[1024];
        snprintf (buf, sizeof buf, "%s", value);
        char *save = NULL;
        for (char *tok = strtok_r (buf, ", \t", &save); tok;
             tok = strtok_r (NULL, ", \t", &save))
            if (s_rule_setting (cfg, tok, GL_SEV_OFF, err, err_len) < 0)
                return -1;
        return 0;
    }
    }
    return -1;
}

typedef struct {
    gl_config_t *cfg;
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
    if (gl_config_set (ctx->cfg, section, name, value, ctx->err,
                       ctx->err_len) < 0) {
        ctx->failed = 1;
        return 0;
    }
    return 1;
}

int
gl_config_load (gl_config_t *cfg, const char *path, char *err, size_t err_len)
{
    char why[256] = "";
    gl_ini_ctx_t ctx = { cfg, why, sizeof why, 0 };
    int rc = ini_parse (path, s_ini_handler, &ctx);
    if (rc < 0)
        return gl_errf (err, err_len, "%s: cannot read: %s", path,
                      strerror (errno));
    if (rc > 0)
        return gl_errf (err, err_len, "%s:%d: %s", path, rc,
                      ctx.failed ? why : "syntax error");
    return 0;
}

int
gl_config_resolve (gl_config_t *cfg, const gl_flags_t *flags, char *err,
                   size_t err_len)
{
    char file[sizeof cfg->config_file];
    snprintf (file, sizeof file, "%s", cfg->config_file);
    gl_config_defaults (cfg);
    snprintf (cfg->config_file, sizeof cfg->config_file, "%s", file);
    if (file[0] && gl_config_load (cfg, file, err, err_len) < 0)
        return -1;
    for (size_t i = 0; i < flags->n; i++) {
        char why[256];
        if (gl_config_set (cfg, flags->set[i].section, flags->set[i].key,
                           flags->set[i].value, why, sizeof why) < 0)
            return gl_errf (err, err_len, "option %s: %s", flags->set[i].key, why);
    }
    /* The files themselves are read when the daemon starts (gl_zap.c). */
    if (cfg->curve && !cfg->secret_key_file[0])
        return gl_errf (err, err_len, "security.curve is on but "
                      "security.secret_key_file is not set");
    if (cfg->curve && !cfg->allowed_keys_dir[0])
        return gl_errf (err, err_len, "security.curve is on but "
                      "security.allowed_keys_dir is not set");
    if (!cfg->name[0])
        return gl_errf (err, err_len, "daemon.name must not be empty");
    return 0;
}

gl_engine_t *
gl_config_engine (const gl_config_t *cfg, char *err, size_t err_len)
{
    gl_engine_t *e = gl_engine_new ();
    if (!e) {
        gl_errf (err, err_len, "out of memory");
        return NULL;
    }
    gl_engine_set_max_bytes (e, cfg->max_document);
    for (size_t i = 0; i < cfg->n_rules; i++)
        if (gl_engine_set_severity (e, cfg->rules[i].code,
                                    cfg->rules[i].severity) != GL_OK) {
            gl_errf (err, err_len, "unknown rule '%s'", cfg->rules[i].code);
            gl_engine_destroy (&e);
            return NULL;
        }
    return e;
}

void
gl_config_print (const gl_config_t *cfg, FILE *out)
{
    const char *section = "";
    for (size_t i = 0; i < N_SETTINGS; i++) {
        const gl_setting_t *st = &s_settings[i];
        if (strcmp (section, st->section) != 0) {
            fprintf (out, "%s[%s]\n", i ? "\n" : "", st->section);
            section = st->section;
        }
        const char *field = (const char *) cfg + st->offset;
        fprintf (out, "; %s\n%s = ", st->help, st->key);
        switch (st->type) {
        case T_STR:
            fprintf (out, "%s\n", field);
            break;
        case T_INT:
            fprintf (out, "%d\n", *(const int *) field);
            break;
        case T_SIZE:
            fprintf (out, "%zu\n", *(const size_t *) field);
            break;
        case T_SECONDS:
        case T_RATE:
            fprintf (out, "%g\n", *(const double *) field);
            break;
        case T_LEVEL:
            fprintf (out, "%s\n", s_levels[*(const gl_log_level_t *) field]);
            break;
        case T_BOOL:
            fprintf (out, "%s\n", *(const bool *) field ? "on" : "off");
            break;
        case T_RULES: {
            const char *sep = "";
            for (size_t r = 0; r < cfg->n_rules; r++)
                if (cfg->rules[r].severity == GL_SEV_OFF) {
                    fprintf (out, "%s%s", sep, cfg->rules[r].code);
                    sep = ", ";
                }
            fprintf (out, "\n");
            for (size_t r = 0; r < cfg->n_rules; r++)
                if (cfg->rules[r].severity != GL_SEV_OFF)
                    fprintf (out, "%s = %s\n", cfg->rules[r].code,
                             gl_severity_name (cfg->rules[r].severity));
            break;
        }
        }
    }
}

static void
s_usage (FILE *out)
{
    fprintf (out,
             "usage: gidlintd [--config FILE] [--SETTING VALUE]... "
             "[--severity CODE=LEVEL]...\n"
             "       gidlintd --print-config | --help | --version\n\n"
             "Lints government information disclosure annual reports sent over "
             "ZeroMQ and\npublishes MessagePack diagnostics (docs/protocol.md).\n\n"
             "  --config FILE            INI file ([section] key = value); "
             "SIGHUP rereads it\n"
             "  --severity CODE=LEVEL    override a rule's severity "
             "(off, info, warning, error)\n"
             "  --print-config           print the effective configuration "
             "and exit\n\n"
             "Settings (also keys of the INI file, under [section]):\n");
    for (size_t i = 0; i < N_SETTINGS; i++) {
        char opt[32];
        snprintf (opt, sizeof opt, "%s", s_settings[i].key);
        for (char *p = opt; *p; p++)
            if (*p == '_')
                *p = '-';
        fprintf (out, "  --%-22s [%s] %s: %s\n", opt, s_settings[i].section,
                 s_settings[i].key, s_settings[i].help);
    }
    fprintf (out, "\nSignals: SIGTERM/SIGINT finish in-flight documents and "
                  "exit 0; SIGHUP reloads\nthe configuration file (rules, "
                  "severities, limits, allowed keys) without\n"
                  "losing a document.\n");
}

int
gl_config_parse_args (int argc, char **argv, gl_config_t *cfg,
                      gl_flags_t *flags)
{
    enum { OPT_CONFIG = 1000, OPT_SEVERITY, OPT_PRINT, OPT_HELP, OPT_VERSION,
           OPT_SETTING };
    struct option opts[N_SETTINGS + 6];
    size_t n = 0;
    opts[n++] = (struct option) { "config", required_argument, NULL, OPT_CONFIG };
    opts[n++] = (struct option) { "severity", required_argument, NULL, OPT_SEVERITY };
    opts[n++] = (struct option) { "print-config", no_argument, NULL, OPT_PRINT };
    opts[n++] = (struct option) { "help", no_argument, NULL, OPT_HELP };
    opts[n++] = (struct option) { "version", no_argument, NULL, OPT_VERSION };
    /* Options are the keys with '-' for '_': --max-document. */
    char names[N_SETTINGS][32];
    for (size_t i = 0; i < N_SETTINGS; i++) {
        snprintf (names[i], sizeof names[i], "%s", s_settings[i].key);
        for (char *p = names[i]; *p; p++)
            if (*p == '_')
                *p = '-';
        opts[n++] = (struct option) { names[i], required_argument, NULL,
                                      OPT_SETTING + (int) i };
    }
    opts[n] = (struct option) { 0 };
    gl_config_defaults (cfg);
    flags->n = 0;
    bool print = false;
    int c;
    optind = 1;
    while ((c = getopt_long (argc, argv, "", opts, NULL)) != -1) {
        if (flags->n == sizeof flags->set / sizeof flags->set[0]) {
            fprintf (stderr, "gidlintd: too many options\n");
            return -1;
        }
        switch (c) {
        case OPT_CONFIG:
            snprintf (cfg->config_file, sizeof cfg->config_file, "%s", optarg);
            break;
        case OPT_SEVERITY: {
            char *eq = strchr (optarg, '=');
            if (!eq) {
                fprintf (stderr, "gidlintd: --severity wants CODE=LEVEL\n");
                return -1;
            }
            *eq = '\0';
            flags->set[flags->n].section = "rules";
            flags->set[flags->n].key = optarg;
            flags->set[flags->n++].value = eq + 1;
            break;
        }
        case OPT_PRINT:
            print = true;
            break;
        case OPT_HELP:
            s_usage (stdout);
            return 1;
        case OPT_VERSION:
            printf ("gidlintd %s\n", GL_VERSION_STRING);
            return 1;
        case '?':
            s_usage (stderr);
            return -1;
        default:
            if (c >= OPT_SETTING && c < OPT_SETTING + (int) N_SETTINGS) {
                const gl_setting_t *st = &s_settings[c - OPT_SETTING];
                flags->set[flags->n].section = st->section;
                flags->set[flags->n].key = st->key;
                flags->set[flags->n++].value = optarg;
            }
            break;
        }
    }
    if (optind < argc) {
        fprintf (stderr, "gidlintd: unexpected argument '%s'\n", argv[optind]);
        return -1;
    }
    char err[512];
    if (gl_config_resolve (cfg, flags, err, sizeof err) < 0) {
        fprintf (stderr, "gidlintd: %s\n", err);
        return -1;
    }
    if (print) {
        gl_config_print (cfg, stdout);
        return 1;
    }
    return 0;
}

/*  ---------------------------------------------------------------------
 *  Logging.  The level is process state of the daemon (not of the engine). */

/*  Atomic: the workers and the ZAP handler's thread log too.              */
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
