/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/pci-tsm.yaml */
/* YNL-GEN kernel header */
/* To regenerate run: tools/net/ynl/ynl-regen.sh */

#ifndef _LINUX_PCI_TSM_GEN_H
#define _LINUX_PCI_TSM_GEN_H

#include <net/netlink.h>
#include <net/genetlink.h>

#include <uapi/linux/pci-tsm.h>

/* Common nested types */
extern const struct nla_policy pci_tsm_policy_slot_nl_policy[PCI_TSM_A_POLICY_SLOT_PUBLIC_KEY + 1];

int pci_tsm_nl_pre_doit(const struct genl_split_ops *ops, struct sk_buff *skb,
			struct genl_info *info);
int pci_tsm_nl_dump_start(struct netlink_callback *cb);

int pci_tsm_nl_device_get_doit(struct sk_buff *skb, struct genl_info *info);
int pci_tsm_nl_device_get_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb);
int pci_tsm_nl_evidence_get_dumpit(struct sk_buff *skb,
				   struct netlink_callback *cb);
int pci_tsm_nl_evidence_refresh_doit(struct sk_buff *skb,
				     struct genl_info *info);
int pci_tsm_nl_policy_set_doit(struct sk_buff *skb, struct genl_info *info);
int pci_tsm_nl_policy_get_doit(struct sk_buff *skb, struct genl_info *info);
int pci_tsm_nl_policy_del_doit(struct sk_buff *skb, struct genl_info *info);

enum {
	PCI_TSM_NLGRP_EVENTS,
};

extern struct genl_family pci_tsm_nl_family;

#endif /* _LINUX_PCI_TSM_GEN_H */
