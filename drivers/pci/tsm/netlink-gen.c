// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/pci-tsm.yaml */
/* YNL-GEN kernel source */
/* To regenerate run: tools/net/ynl/ynl-regen.sh */

#include <net/netlink.h>
#include <net/genetlink.h>

#include "netlink-gen.h"

#include <uapi/linux/pci-tsm.h>

/* Common nested types */
const struct nla_policy pci_tsm_policy_slot_nl_policy[PCI_TSM_A_POLICY_SLOT_PUBLIC_KEY + 1] = {
	[PCI_TSM_A_POLICY_SLOT_SLOT] = NLA_POLICY_MAX(NLA_U8, 7),
	[PCI_TSM_A_POLICY_SLOT_CHAIN_HASH] = NLA_POLICY_MAX_LEN(PCI_TSM_HASH_MAX_LEN),
	[PCI_TSM_A_POLICY_SLOT_PUBLIC_KEY] = NLA_POLICY_MAX_LEN(PCI_TSM_PUBLIC_KEY_MAX_LEN),
};

/* PCI_TSM_CMD_DEVICE_GET - do */
static const struct nla_policy pci_tsm_device_get_nl_policy[PCI_TSM_A_EVIDENCE_DEV_NAME + 1] = {
	[PCI_TSM_A_EVIDENCE_DEV_NAME] = { .type = NLA_NUL_STRING, },
};

/* PCI_TSM_CMD_EVIDENCE_GET - dump */
static const struct nla_policy pci_tsm_evidence_get_nl_policy[PCI_TSM_A_EVIDENCE_TYPE + 1] = {
	[PCI_TSM_A_EVIDENCE_DEV_NAME] = { .type = NLA_NUL_STRING, },
	[PCI_TSM_A_EVIDENCE_TYPE] = NLA_POLICY_RANGE(NLA_U32, 1, 11),
};

/* PCI_TSM_CMD_EVIDENCE_REFRESH - do */
static const struct nla_policy pci_tsm_evidence_refresh_nl_policy[PCI_TSM_A_EVIDENCE_SLOTS + 1] = {
	[PCI_TSM_A_EVIDENCE_DEV_NAME] = { .type = NLA_NUL_STRING, },
	[PCI_TSM_A_EVIDENCE_NONCE] = NLA_POLICY_EXACT_LEN(PCI_TSM_NONCE_LEN),
	[PCI_TSM_A_EVIDENCE_SLOTS] = { .type = NLA_U8, },
};

/* PCI_TSM_CMD_POLICY_SET - do */
static const struct nla_policy pci_tsm_policy_set_nl_policy[PCI_TSM_A_POLICY_MEAS_HASH + 1] = {
	[PCI_TSM_A_POLICY_DEV_NAME] = { .type = NLA_NUL_STRING, },
	[PCI_TSM_A_POLICY_MODE] = NLA_POLICY_RANGE(NLA_U32, 1, 3),
	[PCI_TSM_A_POLICY_SLOT_POLICY] = NLA_POLICY_NESTED(pci_tsm_policy_slot_nl_policy),
	[PCI_TSM_A_POLICY_MEAS_HASH] = NLA_POLICY_MAX_LEN(PCI_TSM_HASH_MAX_LEN),
};

/* PCI_TSM_CMD_POLICY_GET - do */
static const struct nla_policy pci_tsm_policy_get_nl_policy[PCI_TSM_A_POLICY_DEV_NAME + 1] = {
	[PCI_TSM_A_POLICY_DEV_NAME] = { .type = NLA_NUL_STRING, },
};

/* PCI_TSM_CMD_POLICY_DEL - do */
static const struct nla_policy pci_tsm_policy_del_nl_policy[PCI_TSM_A_POLICY_DEV_NAME + 1] = {
	[PCI_TSM_A_POLICY_DEV_NAME] = { .type = NLA_NUL_STRING, },
};

/* Ops table for pci_tsm */
static const struct genl_split_ops pci_tsm_nl_ops[] = {
	{
		.cmd		= PCI_TSM_CMD_DEVICE_GET,
		.pre_doit	= pci_tsm_nl_pre_doit,
		.doit		= pci_tsm_nl_device_get_doit,
		.policy		= pci_tsm_device_get_nl_policy,
		.maxattr	= PCI_TSM_A_EVIDENCE_DEV_NAME,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd	= PCI_TSM_CMD_DEVICE_GET,
		.start	= pci_tsm_nl_dump_start,
		.dumpit	= pci_tsm_nl_device_get_dumpit,
		.flags	= GENL_ADMIN_PERM | GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= PCI_TSM_CMD_EVIDENCE_GET,
		.start		= pci_tsm_nl_dump_start,
		.dumpit		= pci_tsm_nl_evidence_get_dumpit,
		.policy		= pci_tsm_evidence_get_nl_policy,
		.maxattr	= PCI_TSM_A_EVIDENCE_TYPE,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= PCI_TSM_CMD_EVIDENCE_REFRESH,
		.pre_doit	= pci_tsm_nl_pre_doit,
		.doit		= pci_tsm_nl_evidence_refresh_doit,
		.policy		= pci_tsm_evidence_refresh_nl_policy,
		.maxattr	= PCI_TSM_A_EVIDENCE_SLOTS,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= PCI_TSM_CMD_POLICY_SET,
		.pre_doit	= pci_tsm_nl_pre_doit,
		.doit		= pci_tsm_nl_policy_set_doit,
		.policy		= pci_tsm_policy_set_nl_policy,
		.maxattr	= PCI_TSM_A_POLICY_MEAS_HASH,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= PCI_TSM_CMD_POLICY_GET,
		.pre_doit	= pci_tsm_nl_pre_doit,
		.doit		= pci_tsm_nl_policy_get_doit,
		.policy		= pci_tsm_policy_get_nl_policy,
		.maxattr	= PCI_TSM_A_POLICY_DEV_NAME,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= PCI_TSM_CMD_POLICY_DEL,
		.pre_doit	= pci_tsm_nl_pre_doit,
		.doit		= pci_tsm_nl_policy_del_doit,
		.policy		= pci_tsm_policy_del_nl_policy,
		.maxattr	= PCI_TSM_A_POLICY_DEV_NAME,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
};

static const struct genl_multicast_group pci_tsm_nl_mcgrps[] = {
	[PCI_TSM_NLGRP_EVENTS] = { "events", },
};

struct genl_family pci_tsm_nl_family __ro_after_init = {
	.name		= PCI_TSM_FAMILY_NAME,
	.version	= PCI_TSM_FAMILY_VERSION,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.split_ops	= pci_tsm_nl_ops,
	.n_split_ops	= ARRAY_SIZE(pci_tsm_nl_ops),
	.mcgrps		= pci_tsm_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(pci_tsm_nl_mcgrps),
};
