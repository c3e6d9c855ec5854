// SPDX-License-Identifier: GPL-2.0
/*
 * pci-tsm: reassembly of evidence objects from an evidence-get dump.
 *
 * Every dump message carries the keys of the object it belongs to (device,
 * type, slot), the evidence generation, the offset of its data in the
 * object and the object's total length. The reader trusts none of it:
 * chunks of an object must follow each other without gap or overlap, all
 * messages must name one device and one generation, and every object must
 * end exactly at its total length. Anything else means the dump cannot be
 * used, and the caller says why. A dump of every device is split by the
 * device name each message carries into one such set per device.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/pci-tsm.h>

#include "tsmtool.h"

static const char * const type_names[] = {
	[PCI_TSM_OBJECT_TYPE_CERT_CHAIN] = "cert-chain",
	[PCI_TSM_OBJECT_TYPE_VCA] = "vca",
	[PCI_TSM_OBJECT_TYPE_CHALLENGE] = "challenge",
	[PCI_TSM_OBJECT_TYPE_TRANSCRIPT] = "transcript",
	[PCI_TSM_OBJECT_TYPE_SIGNATURE] = "signature",
	[PCI_TSM_OBJECT_TYPE_MEASUREMENTS] = "measurements",
	[PCI_TSM_OBJECT_TYPE_INTERFACE_REPORT] = "interface-report",
	[EV_TYPE_CHALLENGE_TRANSCRIPT] = "challenge-transcript",
	[EV_TYPE_CHALLENGE_SIGNATURE] = "challenge-signature",
	[EV_TYPE_MEASUREMENTS_TRANSCRIPT] = "measurements-transcript",
	[EV_TYPE_MEASUREMENTS_SIGNATURE] = "measurements-signature",
};

/* The name of a type this tool knows, or NULL */
const char *ev_type_name(uint32_t type)
{
	if (type < ARRAY_SIZE(type_names) && type_names[type])
		return type_names[type];
	return NULL;
}

/*
 * The name of @type in file names and messages. A newer kernel may publish
 * types this tool does not know: they are kept, as "type-N", so that a
 * dump loses nothing and the verifier can say what it did not check.
 */
const char *ev_type_label(uint32_t type, struct ev_type_buf *buf)
{
	const char *name = ev_type_name(type);

	if (name)
		return name;
	snprintf(buf->name, sizeof(buf->name), "type-%u", type);
	return buf->name;
}

/* Pull the attributes of one evidence-get message into @c, all required */
int ev_chunk_parse(const struct nlmsghdr *nlh, struct ev_chunk *c, char *err)
{
	const struct nlattr *tb[PCI_TSM_A_EVIDENCE_MAX + 1];
	const struct nlattr *data;

	memset(c, 0, sizeof(*c));
	if (nl_parse(nlh, GENL_HDRLEN, tb, PCI_TSM_A_EVIDENCE_MAX)) {
		err_set(err, "malformed evidence message");
		return -EBADMSG;
	}
	c->dev = nla_get_str(tb[PCI_TSM_A_EVIDENCE_DEV_NAME]);
	c->tsm = nla_get_str(tb[PCI_TSM_A_EVIDENCE_TSM]);
	if (!c->dev || !c->tsm) {
		err_set(err, "evidence message without a valid %s attribute",
			c->dev ? "tsm" : "dev-name");
		return -EBADMSG;
	}
	if (nla_get_uint(tb[PCI_TSM_A_EVIDENCE_GENERATION], &c->gen) ||
	    nla_get_u32(tb[PCI_TSM_A_EVIDENCE_TYPE], &c->type) ||
	    nla_get_u8(tb[PCI_TSM_A_EVIDENCE_SLOT], &c->slot) ||
	    nla_get_u32(tb[PCI_TSM_A_EVIDENCE_OFFSET], &c->offset) ||
	    nla_get_u32(tb[PCI_TSM_A_EVIDENCE_TOTAL_LEN], &c->total)) {
		err_set(err,
			"%s: evidence message lacks generation, type, slot, offset or total-len",
			c->dev);
		return -EBADMSG;
	}
	data = tb[PCI_TSM_A_EVIDENCE_DATA];
	if (!data) {
		err_set(err, "%s: evidence message without data", c->dev);
		return -EBADMSG;
	}
	c->data = nla_payload(data);
	c->len = nla_payload_len(data);
	c->has_status = tb[PCI_TSM_A_EVIDENCE_CHAIN_STATUS];
	if (c->has_status && nla_get_u32(tb[PCI_TSM_A_EVIDENCE_CHAIN_STATUS], &c->status)) {
		err_set(err, "%s: malformed chain-status", c->dev);
		return -EBADMSG;
	}
	return 0;
}

static struct ev_object *find_obj(struct ev_set *s, uint32_t type, uint8_t slot)
{
	for (int i = 0; i < s->nr; i++)
		if (s->obj[i].type == type && s->obj[i].slot == slot)
			return &s->obj[i];
	return NULL;
}

/* Add one chunk; on error @err says what was wrong with the sequence */
int ev_set_add(struct ev_set *s, const struct ev_chunk *c, char *err)
{
	struct ev_type_buf tbuf;
	const char *tname = ev_type_label(c->type, &tbuf);
	struct ev_object *o;
	uint8_t *p;

	if (c->slot > 7) {
		err_set(err, "%s: slot %u out of range", tname, c->slot);
		return -EBADMSG;
	}
	if (!s->started) {
		snprintf(s->dev, sizeof(s->dev), "%s", c->dev);
		snprintf(s->tsm, sizeof(s->tsm), "%s", c->tsm);
		s->gen = c->gen;
		s->started = true;
	} else if (strcmp(s->dev, c->dev)) {
		err_set(err, "dump mixes devices %s and %s", s->dev, c->dev);
		return -EBADMSG;
	} else if (s->gen != c->gen) {
		err_set(err, "%s slot %u: generation %llu in a dump of generation %llu",
			tname, c->slot, (unsigned long long)c->gen,
			(unsigned long long)s->gen);
		return -ESTALE;
	} else if (strcmp(s->tsm, c->tsm)) {
		err_set(err, "dump mixes TSMs %s and %s", s->tsm, c->tsm);
		return -EBADMSG;
	}
	if (c->total > EV_MAX_OBJECT_SIZE) {
		err_set(err, "%s slot %u: total-len %u exceeds the %u byte limit",
			tname, c->slot, c->total, EV_MAX_OBJECT_SIZE);
		return -EFBIG;
	}

	o = find_obj(s, c->type, c->slot);
	if (!o) {
		if (s->nr == EV_MAX_OBJECTS) {
			err_set(err, "more than %d evidence objects", EV_MAX_OBJECTS);
			return -E2BIG;
		}
		o = &s->obj[s->nr++];
		memset(o, 0, sizeof(*o));
		o->type = c->type;
		o->slot = c->slot;
		o->total = c->total;
		o->has_status = c->has_status;
		o->status = c->status;
	}
	if (c->has_status != o->has_status || c->status != o->status) {
		err_set(err, "%s slot %u: chain-status changed within the object",
			tname, c->slot);
		return -EBADMSG;
	}
	if (c->total != o->total) {
		err_set(err, "%s slot %u: total-len changed from %u to %u",
			tname, c->slot, o->total, c->total);
		return -EBADMSG;
	}
	if (c->offset < o->len || (o->len == o->total && o->data)) {
		err_set(err, "%s slot %u: chunk at offset %u overlaps bytes already received (%u)",
			tname, c->slot, c->offset, o->len);
		return -EBADMSG;
	}
	if (c->offset > o->len) {
		err_set(err, "%s slot %u: gap: chunk at offset %u, expected offset %u",
			tname, c->slot, c->offset, o->len);
		return -EBADMSG;
	}
	if (c->len > o->total - o->len) {
		err_set(err, "%s slot %u: chunk [%u, +%u) runs past total-len %u",
			tname, c->slot, c->offset, c->len, o->total);
		return -EBADMSG;
	}
	if (!c->len && o->total) {
		err_set(err, "%s slot %u: empty chunk at offset %u of %u",
			tname, c->slot, c->offset, o->total);
		return -EBADMSG;
	}
	p = realloc(o->data, o->len + c->len ? o->len + c->len : 1);
	if (!p) {
		err_set(err, "out of memory");
		return -ENOMEM;
	}
	o->data = p;
	memcpy(o->data + o->len, c->data, c->len);
	o->len += c->len;
	return 0;
}

/* Every object must have arrived completely */
int ev_set_complete(const struct ev_set *s, char *err)
{
	for (int i = 0; i < s->nr; i++) {
		const struct ev_object *o = &s->obj[i];
		struct ev_type_buf tbuf;

		if (o->len != o->total) {
			err_set(err, "%s slot %u: incomplete, %u of %u bytes",
				ev_type_label(o->type, &tbuf), o->slot, o->len, o->total);
			return -EBADMSG;
		}
	}
	return 0;
}

void ev_set_reset(struct ev_set *s)
{
	for (int i = 0; i < s->nr; i++)
		free(s->obj[i].data);
	memset(s, 0, sizeof(*s));
}

/*
 * A device name from the kernel becomes a directory name in a dump of
 * every device: it must fit struct ev_set and be one path component.
 */
bool ev_dev_name_ok(const char *dev)
{
	size_t n = strnlen(dev, sizeof(((struct ev_set *)0)->dev));

	return n && n < sizeof(((struct ev_set *)0)->dev) && !strchr(dev, '/') &&
	       strcmp(dev, ".") && strcmp(dev, "..");
}

struct ev_set *ev_multi_find(struct ev_multi *m, const char *dev)
{
	for (int i = 0; i < m->nr; i++)
		if (!strcmp(m->set[i].dev, dev))
			return &m->set[i];
	return NULL;
}

/*
 * Add one chunk of an unfiltered dump to the set of the device it names.
 * Devices may interleave in any order; within a device the rules of
 * ev_set_add() apply, and errors are prefixed with the device's name.
 */
int ev_multi_add(struct ev_multi *m, const struct ev_chunk *c, char *err)
{
	char why[ERRLEN];
	struct ev_set *s;
	int rc;

	if (!ev_dev_name_ok(c->dev)) {
		err_set(err, "device name \"%.64s\" is not usable as a directory name",
			c->dev);
		return -EBADMSG;
	}
	s = ev_multi_find(m, c->dev);
	if (!s) {
		if (m->nr == EV_MAX_DEVICES) {
			err_set(err, "evidence of more than %d devices", EV_MAX_DEVICES);
			return -E2BIG;
		}
		if (m->nr == m->cap) {
			int cap = m->cap ? 2 * m->cap : 16;

			s = realloc(m->set, cap * sizeof(*s));
			if (!s) {
				err_set(err, "out of memory");
				return -ENOMEM;
			}
			m->set = s;
			m->cap = cap;
		}
		s = &m->set[m->nr++];
		memset(s, 0, sizeof(*s));
	}
	rc = ev_set_add(s, c, why);
	if (rc)
		err_set(err, "%s: %s", c->dev, why);
	return rc;
}

/* Every object of every device must have arrived completely */
int ev_multi_complete(const struct ev_multi *m, char *err)
{
	char why[ERRLEN];

	for (int i = 0; i < m->nr; i++) {
		if (ev_set_complete(&m->set[i], why)) {
			err_set(err, "%s: %s", m->set[i].dev, why);
			return -EBADMSG;
		}
	}
	return 0;
}

void ev_multi_reset(struct ev_multi *m)
{
	for (int i = 0; i < m->nr; i++)
		ev_set_reset(&m->set[i]);
	free(m->set);
	memset(m, 0, sizeof(*m));
}
