/*  gl_config.c: gidlintd's settings table, its [rules] and its engine.
 *
 *  The table below is the single list of gidlintd's settings; the
 *  machinery that reads the file and the command line and prints --help
 *  and --print-config from it is gl_settings.c, shared with
 *  gidlint-broker.  What is gidlintd's own: [rules], whose keys are rule
 *  codes (a severity each) besides `disable`, and the checks of
 *  [security].
 */
#include "gl_config.h"

#include <string.h>

#define F(m) GL_FIELD (gl_config_t, m)

static const gl_setting_t s_settings[] = {
    { "daemon", "name", GL_SET_STR, F (name),
      "name of this daemon, sent in every result", GL_RESTART },
    { "daemon", "workers", GL_SET_INT, F (workers),
      "lint threads (0: one per core)", GL_RESTART },
    { "daemon", "log_level", GL_SET_LEVEL, F (log_level),
      "error, warn, info or debug", GL_LIVE },
    { "daemon", "stats_interval", GL_SET_SECONDS, F (stats_interval),
      "seconds between stats messages on the results socket (0: never)", GL_LIVE },
    { "endpoints", "ingest", GL_SET_STR, F (ingest),
      "PULL socket producers push documents to (\">ENDPOINT\" connects to a "
      "broker; a comma-separated list attaches to each)", GL_RESTART },
    { "endpoints", "results", GL_SET_STR, F (results),
      "PUB socket results are published on", GL_RESTART },
    { "endpoints", "control", GL_SET_STR, F (control),
      "ROUTER socket for lint-and-wait, health, stats, replay; behind a broker, "
      "its control and route backends", GL_RESTART },
    { "limits", "max_document", GL_SET_SIZE, F (max_document),
      "largest document, bytes (GID003 beyond)", GL_LIVE },
    { "limits", "max_message", GL_SET_SIZE, F (max_message),
      "largest wire message, bytes (GID003 beyond; beyond twice this the "
      "sender is disconnected)", GL_LIVE },
    { "limits", "ingest_hwm", GL_SET_INT, F (ingest_hwm),
      "messages queued on the ingest socket", GL_RESTART },
    { "limits", "results_hwm", GL_SET_INT, F (results_hwm),
      "messages queued per subscriber before PUB drops", GL_RESTART },
    { "limits", "control_hwm", GL_SET_INT, F (control_hwm),
      "messages queued on the control socket", GL_RESTART },
    { "limits", "max_in_flight", GL_SET_INT, F (max_in_flight),
      "documents taken and not yet answered; beyond it sockets are not read", GL_LIVE },
    { "limits", "max_in_flight_bytes", GL_SET_SIZE, F (max_in_flight_bytes),
      "bytes of the documents taken and not yet answered; beyond it sockets "
      "are not read", GL_LIVE },
    { "limits", "ring_size", GL_SET_INT, F (ring_size),
      "published results kept for replay and resent documents (at least 1)", GL_RESTART },
    { "limits", "ring_bytes", GL_SET_SIZE, F (ring_bytes),
      "size of the buffer the ring keeps published results in, bytes", GL_RESTART },
    { "limits", "control_rate", GL_SET_RATE, F (control_rate),
      "control requests a second per connection (0: no limit)", GL_LIVE },
    { "limits", "control_burst", GL_SET_RATE, F (control_burst),
      "control requests a connection may send at once above the rate", GL_LIVE },
    { "limits", "drain_grace", GL_SET_SECONDS, F (drain_grace),
      "seconds ingest is still read after SIGTERM", GL_LIVE },
    { "limits", "shutdown_timeout", GL_SET_SECONDS, F (shutdown_timeout),
      "seconds allowed to finish in-flight documents on SIGTERM", GL_LIVE },
    { "security", "curve", GL_SET_BOOL, F (curve),
      "on: CURVE encryption and client keys on every socket (use it off "
      "loopback)", GL_RESTART },
    { "security", "secret_key_file", GL_SET_STR, F (secret_key_file),
      "the daemon's secret certificate (NAME.key_secret of gidlint keygen)", GL_RESTART },
    { "security", "allowed_keys_dir", GL_SET_STR, F (allowed_keys_dir),
      "public certificates (*.key) of the clients let in; SIGHUP rereads it", GL_LIVE },
    { "security", "broker_key_file", GL_SET_STR, F (broker_key_file),
      "public certificate of the gidlint-broker this daemon connects to", GL_RESTART },
    { "rules", "disable", GL_SET_CUSTOM, 0, 0,
      "rules to turn off, codes or names, comma-separated", GL_LIVE },
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

/*  [rules] GID204 = error: a severity override.  Every other setting is
 *  the table's.                                                           */
static int
s_set_hook (void *cfg, const char *section, const char *key,
            const char *value, char *err, size_t err_len)
{
    if (strcmp (section, "rules") != 0 || strcmp (key, "disable") == 0)
        return 1;
    int sev = gl_severity_parse (value);
    if (sev < 0)
        return gl_errf (err, err_len, "rules.%s: '%s' is not off, info, "
                      "warning or error", key, value);
    return s_rule_setting (cfg, key, (gl_severity_t) sev, err, err_len);
}

/*  [rules] disable = GID101, GID102.                                     */
static int
s_set_custom (void *cfg, const gl_setting_t *st, const char *value, char *err,
              size_t err_len)
{
    (void) st;
    char buf[1024];
    snprintf (buf, sizeof buf, "%s", value);
    char *save = NULL;
    for (char *tok = strtok_r (buf, ", \t", &save); tok;
         tok = strtok_r (NULL, ", \t", &save))
        if (s_rule_setting (cfg, tok, GL_SEV_OFF, err, err_len) < 0)
            return -1;
    return 0;
}

/*  The disabled rules on the `disable` line, then one line per severity
 *  override.                                                              */
static void
s_print_custom (const void *c, const gl_setting_t *st, FILE *out)
{
    (void) st;
    const gl_config_t *cfg = c;
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
}

bool
gl_config_connects (const char *list)
{
    const char *p = list;
    bool any = false;
    while (*p) {
        p += strspn (p, ", \t");
        if (!*p)
            break;
        if (*p != '>')
            return false;
        any = true;
        p += strcspn (p, ", \t");
    }
    return any;
}

/*  The files themselves are read when the daemon starts (gl_zap.c).       */
static int
s_check (const void *c, char *err, size_t err_len)
{
    const gl_config_t *cfg = c;
    if (cfg->curve && !cfg->secret_key_file[0])
        return gl_errf (err, err_len, "security.curve is on but "
                      "security.secret_key_file is not set");
    /* Behind a broker, every socket connects and no client comes to the
     * daemon: it needs no client keys. */
    bool serves = !gl_config_connects (cfg->ingest)
                  || !gl_config_connects (cfg->results)
                  || !gl_config_connects (cfg->control);
    if (cfg->curve && serves && !cfg->allowed_keys_dir[0])
        return gl_errf (err, err_len, "security.curve is on but "
                      "security.allowed_keys_dir is not set");
    if (!cfg->name[0])
        return gl_errf (err, err_len, "daemon.name must not be empty");
    return 0;
}

static void
s_defaults (void *cfg)
{
    gl_config_defaults (cfg);
}

static const gl_program_t s_program = {
    .name = "gidlintd",
    .settings = s_settings,
    .n_settings = N_SETTINGS,
    .config_file_offset = offsetof (gl_config_t, config_file),
    .config_file_size = sizeof (((gl_config_t *) 0)->config_file),
    .usage_extra = " [--severity CODE=LEVEL]...",
    .description = "Lints government information disclosure annual reports "
                   "sent over ZeroMQ and\npublishes MessagePack diagnostics "
                   "(docs/protocol.md).",
    .epilogue = "Signals: SIGTERM/SIGINT finish in-flight documents and "
                "exit 0; SIGHUP reloads\nthe configuration file (rules, "
                "severities, limits, allowed keys) without\n"
                "losing a document; what only a restart changes (endpoints, "
                "workers, socket and\nring sizes, keys) it keeps, and logs "
                "which.\n",
    .pair_option = "severity",
    .pair_arg = "CODE=LEVEL",
    .pair_section = "rules",
    .pair_help = "override a rule's severity (off, info, warning, error)",
    .defaults = s_defaults,
    .set_hook = s_set_hook,
    .set_custom = s_set_custom,
    .print_custom = s_print_custom,
    .check = s_check,
};

int
gl_config_set (gl_config_t *cfg, const char *section, const char *key,
               const char *value, char *err, size_t err_len)
{
    return gl_settings_set (&s_program, cfg, section, key, value, err, err_len);
}

int
gl_config_load (gl_config_t *cfg, const char *path, char *err, size_t err_len)
{
    return gl_settings_load (&s_program, cfg, path, err, err_len);
}

int
gl_config_resolve (gl_config_t *cfg, const gl_flags_t *flags, char *err,
                   size_t err_len)
{
    return gl_settings_resolve (&s_program, cfg, flags, err, err_len);
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

size_t
gl_config_keep (gl_config_t *cfg, const gl_config_t *running, char *changed,
                size_t changed_len)
{
    return gl_settings_keep (&s_program, cfg, running, changed, changed_len);
}

void
gl_config_print (const gl_config_t *cfg, FILE *out)
{
    gl_settings_print (&s_program, cfg, out);
}

int
gl_config_parse_args (int argc, char **argv, gl_config_t *cfg,
                      gl_flags_t *flags)
{
    return gl_settings_parse_args (&s_program, argc, argv, cfg, flags);
}
