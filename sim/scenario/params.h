/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * params.h - typed, validated settings.  A component (a workload, the
 * injection policy, a cost profile) declares the keys it accepts as a table
 * of struct sim_param_spec; the scenario reader checks every key of a group
 * against that table (unknown key, wrong type, out of range, not one of the
 * allowed words) and stores the values in a struct sim_params, from which
 * the component reads them with defaults applied.  One table serves the
 * parser, the error messages and the documentation.
 */
#ifndef SIM_PARAMS_H
#define SIM_PARAMS_H

#include <stdbool.h>
#include <stdint.h>

enum sim_param_type {
	SIM_PARAM_INT,	    /* signed 64-bit, within [min, max] */
	SIM_PARAM_DOUBLE,   /* within [dmin, dmax] */
	SIM_PARAM_BOOL,	    /* true / false */
	SIM_PARAM_WORD,	    /* one of words[] (a NULL-terminated list) */
	SIM_PARAM_INT_LIST, /* comma-separated ints, each within [min, max], 1..64 of them */
	SIM_PARAM_STRING,   /* free text (names, descriptions) */
};

struct sim_param_spec {
	const char *key;
	enum sim_param_type type;
	int64_t min, max;	  /* INT, INT_LIST */
	double dmin, dmax;	  /* DOUBLE */
	const char *const *words; /* WORD */
	const char *def;	  /* default, in file syntax; NULL = required */
	const char *help;
};

#define SIM_PARAMS_MAX 48
#define SIM_PARAM_LIST_MAX 64

struct sim_param_value {
	const struct sim_param_spec *spec;
	bool set; /* given in the file (else the default applies) */
	int64_t i;
	double d;
	bool b;
	int word;      /* index into spec->words */
	int64_t *list; /* INT_LIST: g_malloc'd, list_len values */
	unsigned list_len;
	char *s; /* STRING: g_malloc'd; also the raw text of every value */
};

struct sim_params {
	const struct sim_param_spec *specs; /* terminated by a NULL key */
	unsigned count;
	struct sim_param_value v[SIM_PARAMS_MAX];
};

/*
 * Parse one value of spec from text.  On error returns false and writes a
 * message saying what was expected (no file/group/key: the caller adds them).
 */
bool sim_param_parse(const struct sim_param_spec *spec, const char *text,
		     struct sim_param_value *out, char *err, unsigned err_len);

/* What a parsed value owns (its text, its list). */
void sim_param_value_free(struct sim_param_value *v);
/* A deep copy of src into dst. */
void sim_param_value_copy(struct sim_param_value *dst, const struct sim_param_value *src);

/* Fill params with the defaults of specs (which must all parse). */
void sim_params_init(struct sim_params *p, const struct sim_param_spec *specs);
void sim_params_free(struct sim_params *p);
/* A deep copy: every value owns its text and list. */
void sim_params_copy(struct sim_params *dst, const struct sim_params *src);

/* Typed getters by key; the key must be in the table (else abort: a bug). */
int64_t sim_params_int(const struct sim_params *p, const char *key);
double sim_params_double(const struct sim_params *p, const char *key);
bool sim_params_bool(const struct sim_params *p, const char *key);
int sim_params_word(const struct sim_params *p, const char *key);
const char *sim_params_string(const struct sim_params *p, const char *key);
/* The list and its length. */
const int64_t *sim_params_list(const struct sim_params *p, const char *key, unsigned *len);
bool sim_params_is_set(const struct sim_params *p, const char *key);

#endif /* SIM_PARAMS_H */
