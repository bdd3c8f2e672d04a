/*  gl_config.h: gidlintd's configuration.
 *
 *  Settings come, in increasing precedence, from the built-in defaults, the
 *  INI file named by --config (read with libinih), and the command line.
 *  SIGHUP reads the file again and applies the command line on top, so a
 *  flag always wins.  Endpoints, the worker count, curve and the daemon's
 *  key are fixed at start; a reload changes rules, severities, limits, the
 *  stats interval and (rereading the directory) the allowed client keys.
 *  The machinery (types, the file, the options, --help, --print-config)
 *  is gl_settings.c's, shared with gidlint-broker; this is gidlintd's
 *  table, its [rules] and its engine.
 */
#ifndef GL_CONFIG_H_INCLUDED
#define GL_CONFIG_H_INCLUDED

#include "gidlint/gidlint.h"
#include "gl_settings.h"        /* the machinery, gl_flags_t, gl_log        */

#include <stdbool.h>
#include <stdio.h>

#define GL_CONFIG_MAX_RULE_SETTINGS 128

typedef struct {
    char code[16];              /* code or name as written                  */
    gl_severity_t severity;     /* GL_SEV_OFF to disable                    */
} gl_rule_setting_t;

typedef struct {
    char name[64];              /* this daemon's name, in every result      */
    char ingest[512];           /* endpoints: "[@|>]endpoint[,…]"           */
    char results[512];
    char control[512];
    int workers;                /* 0: one per core                          */
    gl_log_level_t log_level;
    double stats_interval;      /* seconds; 0 turns periodic stats off      */
    size_t max_document;        /* bytes of a document (GID003 beyond)      */
    size_t max_message;         /* bytes of a wire message (ZMQ_MAXMSGSIZE) */
    int ingest_hwm;
    int results_hwm;
    int control_hwm;
    int max_in_flight;          /* documents taken and not yet published    */
    size_t max_in_flight_bytes; /* … and their bytes                        */
    int ring_size;              /* results kept for replay and dedup        */
    size_t ring_bytes;          /* … and their bytes, at most               */
    double control_rate;        /* requests/s per control connection; 0: ∞  */
    double control_burst;
    double drain_grace;         /* seconds ingest is still read on SIGTERM  */
    double shutdown_timeout;    /* seconds to finish in-flight work         */
    bool curve;                 /* CURVE servers with ZAP (gl_zap.h)        */
    char secret_key_file[512];  /* the daemon's secret certificate          */
    char allowed_keys_dir[512]; /* client public certificates, *.key        */
    char broker_key_file[512];  /* gidlint-broker's public certificate      */
    size_t n_rules;
    gl_rule_setting_t rules[GL_CONFIG_MAX_RULE_SETTINGS];
    char config_file[512];      /* "" when none                             */
} gl_config_t;

/*  Fills cfg with the defaults.                                            */
void gl_config_defaults (gl_config_t *cfg);

/*  Reads an INI file into cfg (over what is there).  Returns 0, or -1 with
 *  a message in err naming the file, line and setting.                     */
int gl_config_load (gl_config_t *cfg, const char *path, char *err,
                    size_t err_len);

/*  Applies one setting "section.key = value" (the file and the command
 *  line share this).  Returns 0, or -1 with a message in err.              */
int gl_config_set (gl_config_t *cfg, const char *section, const char *key,
                   const char *value, char *err, size_t err_len);

/*  Parses the command line into flags (settings to apply after the file)
 *  and the config file path.  Returns 0 to run, 1 when --help or --version
 *  was printed, -1 on a usage error (message printed to stderr).           */
int gl_config_parse_args (int argc, char **argv, gl_config_t *cfg,
                          gl_flags_t *flags);

/*  Defaults, then the file (if any), then the flags.                       */
int gl_config_resolve (gl_config_t *cfg, const gl_flags_t *flags, char *err,
                       size_t err_len);

/*  For a reload: the settings only a restart changes (endpoints, workers,
 *  the name, socket and ring sizes, keys) copied from running into cfg;
 *  returns how many differed, named in changed (gl_settings_keep).         */
size_t gl_config_keep (gl_config_t *cfg, const gl_config_t *running,
                       char *changed, size_t changed_len);

/*  True when every endpoint of a list ("[@|>]endpoint[, …]") connects
 *  (">"): the socket then serves no client itself.                        */
bool gl_config_connects (const char *endpoints);

/*  A new engine configured from cfg (rules, severities, max_document), or
 *  NULL with err set.  Caller owns it.                                     */
gl_engine_t *gl_config_engine (const gl_config_t *cfg, char *err,
                               size_t err_len);

/*  Writes the effective configuration as INI (for --print-config).         */
void gl_config_print (const gl_config_t *cfg, FILE *out);

#endif
