// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the PCI TSM devsec flow (lock, unlock, accept), the
 * evidence generation number and the visibility of the tsm/ attributes.
 *
 * A fake devsec TSM, registered with tsm_register(), counts the calls of
 * its operations and the contexts it has alive, so that every test can
 * check both what the core returned and what it asked of the TSM. The
 * transitions run against real PCI functions of the test machine that
 * have no driver bound.
 */

#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/bitfield.h>
#include <linux/completion.h>
#include <linux/debug_locks.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/pci.h>
#include <linux/pci-tsm.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/tsm.h>

#include "../pci.h"
#include "tsm.h"

/* What the fake TSM does, and what was asked of it */
struct devsec_test_tsm {
	atomic_t lock_calls;
	atomic_t unlock_calls;
	atomic_t accept_calls;
	atomic_t live;		/* contexts allocated and not yet unlocked */
	int lock_rc;		/* lock() fails with this (1: returns NULL) */
	int accept_rc;		/* accept() fails with this... */
	bool accept_error;	/* ...and leaves the interface in ERROR */
	int status;		/* status() reports this, -1: the core's view */
};

static struct devsec_test_tsm devsec_test;

struct devsec_test_ctx {
	struct pci_tsm_devsec devsec;
};

static struct pci_tsm *devsec_test_lock(struct tsm_dev *tsm_dev,
					struct pci_dev *pdev)
{
	struct devsec_test_ctx *ctx;

	atomic_inc(&devsec_test.lock_calls);
	if (devsec_test.lock_rc == 1)
		return NULL;
	if (devsec_test.lock_rc)
		return ERR_PTR(devsec_test.lock_rc);

	ctx = kzalloc_obj(*ctx);
	if (!ctx)
		return ERR_PTR(-ENOMEM);
	if (pci_tsm_devsec_constructor(pdev, &ctx->devsec, tsm_dev)) {
		kfree(ctx);
		return ERR_PTR(-EINVAL);
	}
	atomic_inc(&devsec_test.live);
	return &ctx->devsec.base_tsm;
}

static void devsec_test_unlock(struct pci_tsm *tsm)
{
	atomic_inc(&devsec_test.unlock_calls);
	atomic_dec(&devsec_test.live);
	kfree(container_of(tsm, struct devsec_test_ctx, devsec.base_tsm));
}

static int devsec_test_accept(struct pci_tsm *tsm)
{
	atomic_inc(&devsec_test.accept_calls);
	if (devsec_test.accept_rc && devsec_test.accept_error)
		devsec_test.status = PCI_TSM_DEVSEC_ERROR;
	return devsec_test.accept_rc;
}

static int devsec_test_status(struct pci_tsm *tsm)
{
	if (devsec_test.status < 0)
		return container_of(tsm, struct pci_tsm_devsec, base_tsm)->state;
	return devsec_test.status;
}

static struct pci_tsm_ops devsec_test_ops = {
	.lock = devsec_test_lock,
	.unlock = devsec_test_unlock,
	.accept = devsec_test_accept,
	.status = devsec_test_status,
};

/* A devsec TSM that cannot accept */
static struct pci_tsm_ops devsec_test_noaccept_ops = {
	.lock = devsec_test_lock,
	.unlock = devsec_test_unlock,
};

/* A devsec TSM that could never be left: refused at registration */
static struct pci_tsm_ops devsec_test_nounlock_ops = {
	.lock = devsec_test_lock,
};

static struct pci_tsm *devsec_test_probe(struct tsm_dev *tsm_dev,
					 struct pci_dev *pdev)
{
	return NULL;
}

static void devsec_test_remove(struct pci_tsm *tsm)
{
}

static int devsec_test_connect(struct pci_dev *pdev)
{
	return -ENXIO;
}

static void devsec_test_disconnect(struct pci_dev *pdev)
{
}

static struct pci_tsm_ops devsec_test_link_ops = {
	.probe = devsec_test_probe,
	.remove = devsec_test_remove,
	.connect = devsec_test_connect,
	.disconnect = devsec_test_disconnect,
};

static int devsec_test_init(struct kunit *test)
{
	memset(&devsec_test, 0, sizeof(devsec_test));
	devsec_test.status = -1;
	return 0;
}

static void devsec_test_exit(struct kunit *test)
{
	/* No test may leave a context behind, nor upset lockdep */
	KUNIT_EXPECT_EQ(test, atomic_read(&devsec_test.live), 0);
	KUNIT_EXPECT_TRUE(test, debug_locks);
}

static void devsec_test_unregister(void *tsm_dev)
{
	tsm_unregister(tsm_dev);
}

static struct tsm_dev *devsec_test_register(struct kunit *test,
					    struct pci_tsm_ops *ops)
{
	struct tsm_dev *tsm_dev = tsm_register(NULL, ops);

	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(tsm_dev), "tsm_register: %ld",
			       PTR_ERR(tsm_dev));
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, devsec_test_unregister,
						  tsm_dev));
	return tsm_dev;
}

static void devsec_test_put_pdev(void *pdev)
{
	pci_dev_put(pdev);
}

/* A real PCI function of the test machine with no driver and no TSM */
static struct pci_dev *devsec_test_pdev(struct kunit *test)
{
	struct pci_dev *pdev = NULL;

	for_each_pci_dev(pdev) {
		if (pdev->dev.driver || pdev->tsm)
			continue;
		/* for_each_pci_dev() holds a reference on @pdev */
		KUNIT_ASSERT_EQ(test, 0,
				kunit_add_action_or_reset(test,
							  devsec_test_put_pdev,
							  pdev));
		return pdev;
	}
	kunit_skip(test, "no PCI function without a driver");
	return NULL;
}

static int devsec_test_state(struct pci_dev *pdev)
{
	return pci_tsm_devsec_state(pdev);
}

/* The whole flow, and that accept is idempotent */
static void pci_tsm_test_devsec_flow(struct kunit *test)
{
	struct tsm_dev *tsm_dev = devsec_test_register(test, &devsec_test_ops);
	struct pci_dev *pdev = devsec_test_pdev(test);
	u64 gen0, gen1, gen2;

	gen0 = pci_tsm_generation(pdev);
	KUNIT_EXPECT_EQ(test, devsec_test_state(pdev), PCI_TSM_DEVSEC_UNLOCKED);

	KUNIT_ASSERT_EQ(test, pci_tsm_devsec_lock(pdev, tsm_dev->id), 0);
	KUNIT_EXPECT_EQ(test, devsec_test_state(pdev), PCI_TSM_DEVSEC_LOCKED);
	KUNIT_EXPECT_PTR_EQ(test, pdev->tsm->tsm_dev, tsm_dev);
	KUNIT_EXPECT_EQ(test, atomic_read(&devsec_test.lock_calls), 1);
	gen1 = pci_tsm_generation(pdev);
	KUNIT_EXPECT_NE(test, gen1, gen0);
	KUNIT_EXPECT_GE(test, gen1, 2);

	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_accept(pdev, NULL), 0);
	KUNIT_EXPECT_EQ(test, devsec_test_state(pdev), PCI_TSM_DEVSEC_RUN);
	KUNIT_EXPECT_EQ(test, atomic_read(&devsec_test.accept_calls), 1);
	/* accept consumes the evidence, it does not change it */
	KUNIT_EXPECT_EQ(test, pci_tsm_generation(pdev), gen1);

	/* A second accept, with or without generation: nothing changes */
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_accept(pdev, NULL), 0);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_accept(pdev, &gen1), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&devsec_test.accept_calls), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&devsec_test.lock_calls), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&devsec_test.live), 1);
	KUNIT_EXPECT_EQ(test, devsec_test_state(pdev), PCI_TSM_DEVSEC_RUN);
	KUNIT_EXPECT_EQ(test, pci_tsm_generation(pdev), gen1);

	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_unlock(pdev), 0);
	KUNIT_EXPECT_EQ(test, devsec_test_state(pdev), PCI_TSM_DEVSEC_UNLOCKED);
	KUNIT_EXPECT_NULL(test, pdev->tsm);
	KUNIT_EXPECT_EQ(test, atomic_read(&devsec_test.unlock_calls), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&devsec_test.live), 0);
	gen2 = pci_tsm_generation(pdev);
	KUNIT_EXPECT_GT(test, gen2, gen1);
}

/* Transitions that must fail, with their exact error codes */
static void pci_tsm_test_devsec_illegal(struct kunit *test)
{
	struct tsm_dev *tsm_dev = devsec_test_register(test, &devsec_test_ops);
	struct tsm_dev *other = devsec_test_register(test, &devsec_test_ops);
	struct tsm_dev *link = devsec_test_register(test, &devsec_test_link_ops);
	struct pci_dev *pdev = devsec_test_pdev(test);
	u64 gen;

	/* accept from UNLOCKED */
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_accept(pdev, NULL), -ENXIO);

	/* lock via something that is not a registered devsec TSM */
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_lock(pdev, link->id), -ENXIO);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_lock(pdev, -1), -ENXIO);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_lock(pdev, INT_MAX), -ENXIO);
	KUNIT_EXPECT_EQ(test, atomic_read(&devsec_test.lock_calls), 0);

	/* the TSM declines */
	gen = pci_tsm_generation(pdev);
	devsec_test.lock_rc = -EIO;
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_lock(pdev, tsm_dev->id), -EIO);
	devsec_test.lock_rc = 1;
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_lock(pdev, tsm_dev->id), -ENXIO);
	KUNIT_EXPECT_NULL(test, pdev->tsm);
	KUNIT_EXPECT_EQ(test, pci_tsm_generation(pdev), gen);
	devsec_test.lock_rc = 0;

	/* lock when locked, by the same or another TSM */
	KUNIT_ASSERT_EQ(test, pci_tsm_devsec_lock(pdev, tsm_dev->id), 0);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_lock(pdev, tsm_dev->id), -EBUSY);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_lock(pdev, other->id), -EBUSY);
	KUNIT_EXPECT_EQ(test, atomic_read(&devsec_test.lock_calls), 3);
	KUNIT_EXPECT_PTR_EQ(test, pdev->tsm->tsm_dev, tsm_dev);

	/* the TSM fails accept: still LOCKED, and accept can be retried */
	devsec_test.accept_rc = -EIO;
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_accept(pdev, NULL), -EIO);
	KUNIT_EXPECT_EQ(test, devsec_test_state(pdev), PCI_TSM_DEVSEC_LOCKED);
	devsec_test.accept_rc = 0;
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_accept(pdev, NULL), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&devsec_test.accept_calls), 2);

	/* lock when in RUN */
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_lock(pdev, tsm_dev->id), -EBUSY);
	KUNIT_EXPECT_EQ(test, devsec_test_state(pdev), PCI_TSM_DEVSEC_RUN);

	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_unlock(pdev), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&devsec_test.live), 0);
}

/* A devsec TSM without accept(), and one without unlock() */
static void pci_tsm_test_devsec_ops_optional(struct kunit *test)
{
	struct tsm_dev *tsm_dev;
	struct pci_dev *pdev;

	tsm_dev = tsm_register(NULL, &devsec_test_nounlock_ops);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(tsm_dev), -EINVAL);
	if (!IS_ERR(tsm_dev))
		tsm_unregister(tsm_dev);

	tsm_dev = devsec_test_register(test, &devsec_test_noaccept_ops);
	pdev = devsec_test_pdev(test);
	KUNIT_ASSERT_EQ(test, pci_tsm_devsec_lock(pdev, tsm_dev->id), 0);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_accept(pdev, NULL), -EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, devsec_test_state(pdev), PCI_TSM_DEVSEC_LOCKED);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_unlock(pdev), 0);
}

/* The TSM reports the interface in ERROR: only unlock gets out */
static void pci_tsm_test_devsec_error(struct kunit *test)
{
	struct tsm_dev *tsm_dev = devsec_test_register(test, &devsec_test_ops);
	struct pci_dev *pdev = devsec_test_pdev(test);
	u64 gen;

	KUNIT_ASSERT_EQ(test, pci_tsm_devsec_lock(pdev, tsm_dev->id), 0);
	gen = pci_tsm_generation(pdev);

	devsec_test.status = PCI_TSM_DEVSEC_ERROR;
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_accept(pdev, NULL), -EIO);
	KUNIT_EXPECT_EQ(test, devsec_test_state(pdev), PCI_TSM_DEVSEC_ERROR);
	KUNIT_EXPECT_EQ(test, atomic_read(&devsec_test.accept_calls), 0);
	/* falling out of LOCKED is a change of security state */
	KUNIT_EXPECT_NE(test, pci_tsm_generation(pdev), gen);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_accept(pdev, NULL), -EIO);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_lock(pdev, tsm_dev->id), -EBUSY);

	/* an invalid state from the TSM is refused, not stored */
	devsec_test.status = PCI_TSM_DEVSEC_ERROR + 1;
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_accept(pdev, NULL), -EIO);
	KUNIT_EXPECT_EQ(test, devsec_test_state(pdev), PCI_TSM_DEVSEC_ERROR);
	devsec_test.status = -1;

	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_unlock(pdev), 0);
	KUNIT_EXPECT_EQ(test, devsec_test_state(pdev), PCI_TSM_DEVSEC_UNLOCKED);

	/* An interface unlocked behind the TVM's back lost its lock: ERROR */
	KUNIT_ASSERT_EQ(test, pci_tsm_devsec_lock(pdev, tsm_dev->id), 0);
	devsec_test.status = PCI_TSM_DEVSEC_UNLOCKED;
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_accept(pdev, NULL), -EIO);
	KUNIT_EXPECT_EQ(test, devsec_test_state(pdev), PCI_TSM_DEVSEC_ERROR);
	devsec_test.status = -1;
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_unlock(pdev), 0);

	/* A failed accept that leaves the interface in ERROR is noticed */
	KUNIT_ASSERT_EQ(test, pci_tsm_devsec_lock(pdev, tsm_dev->id), 0);
	devsec_test.accept_rc = -EIO;
	devsec_test.accept_error = true;
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_accept(pdev, NULL), -EIO);
	KUNIT_EXPECT_EQ(test, atomic_read(&devsec_test.accept_calls), 1);
	KUNIT_EXPECT_EQ(test, devsec_test_state(pdev), PCI_TSM_DEVSEC_ERROR);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_unlock(pdev), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&devsec_test.live), 0);
}

static const enum pci_tsm_devsec_state devsec_test_states[] = {
	PCI_TSM_DEVSEC_UNLOCKED,
	PCI_TSM_DEVSEC_LOCKED,
	PCI_TSM_DEVSEC_RUN,
	PCI_TSM_DEVSEC_ERROR,
};

static void devsec_test_state_desc(const enum pci_tsm_devsec_state *state,
				   char *desc)
{
	static const char *const names[] = {
		"unlocked", "locked", "run", "error",
	};

	strscpy(desc, names[*state], KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(devsec_test_state, devsec_test_states,
		  devsec_test_state_desc);

/* The states in which a TSM holds the function */
static const enum pci_tsm_devsec_state devsec_test_held_states[] = {
	PCI_TSM_DEVSEC_LOCKED,
	PCI_TSM_DEVSEC_RUN,
	PCI_TSM_DEVSEC_ERROR,
};

KUNIT_ARRAY_PARAM(devsec_test_held_state, devsec_test_held_states,
		  devsec_test_state_desc);

/* Bring @pdev to @state via @tsm_dev */
static void devsec_test_goto(struct kunit *test, struct pci_dev *pdev,
			     struct tsm_dev *tsm_dev,
			     enum pci_tsm_devsec_state state)
{
	if (state == PCI_TSM_DEVSEC_UNLOCKED)
		return;
	KUNIT_ASSERT_EQ(test, pci_tsm_devsec_lock(pdev, tsm_dev->id), 0);
	if (state == PCI_TSM_DEVSEC_RUN)
		KUNIT_ASSERT_EQ(test, pci_tsm_devsec_accept(pdev, NULL), 0);
	if (state == PCI_TSM_DEVSEC_ERROR) {
		devsec_test.status = PCI_TSM_DEVSEC_ERROR;
		KUNIT_ASSERT_EQ(test, pci_tsm_devsec_accept(pdev, NULL), -EIO);
		devsec_test.status = -1;
	}
	KUNIT_ASSERT_EQ(test, devsec_test_state(pdev), state);
}

/* unlock is safe in every state, twice, and ends in UNLOCKED */
static void pci_tsm_test_devsec_unlock_any(struct kunit *test)
{
	const enum pci_tsm_devsec_state *state = test->param_value;
	struct tsm_dev *tsm_dev = devsec_test_register(test, &devsec_test_ops);
	struct pci_dev *pdev = devsec_test_pdev(test);
	bool locked = *state != PCI_TSM_DEVSEC_UNLOCKED;
	u64 gen;

	devsec_test_goto(test, pdev, tsm_dev, *state);
	gen = pci_tsm_generation(pdev);

	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_unlock(pdev), 0);
	KUNIT_EXPECT_EQ(test, devsec_test_state(pdev), PCI_TSM_DEVSEC_UNLOCKED);
	KUNIT_EXPECT_NULL(test, pdev->tsm);
	KUNIT_EXPECT_EQ(test, atomic_read(&devsec_test.unlock_calls), locked);
	KUNIT_EXPECT_EQ(test, pci_tsm_generation(pdev) != gen, locked);

	/* and again: nothing left to unlock */
	gen = pci_tsm_generation(pdev);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_unlock(pdev), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&devsec_test.unlock_calls), locked);
	KUNIT_EXPECT_EQ(test, pci_tsm_generation(pdev), gen);
}

/* accept bound to a generation: -ESTALE once the evidence moved on */
static void pci_tsm_test_devsec_generation(struct kunit *test)
{
	struct tsm_dev *tsm_dev = devsec_test_register(test, &devsec_test_ops);
	struct pci_dev *pdev = devsec_test_pdev(test);
	u64 old, gen, stale;

	/* A generation of an earlier lock never comes back */
	KUNIT_ASSERT_EQ(test, pci_tsm_devsec_lock(pdev, tsm_dev->id), 0);
	old = pci_tsm_generation(pdev);
	KUNIT_ASSERT_EQ(test, pci_tsm_devsec_unlock(pdev), 0);
	KUNIT_ASSERT_EQ(test, pci_tsm_devsec_lock(pdev, tsm_dev->id), 0);
	gen = pci_tsm_generation(pdev);
	KUNIT_EXPECT_GT(test, gen, old);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_accept(pdev, &old), -ESTALE);

	/* The TSM replaced its evidence: the generation read before is stale */
	pci_tsm_generation_bump(pdev);
	stale = gen;
	gen = pci_tsm_generation(pdev);
	KUNIT_EXPECT_GT(test, gen, stale);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_accept(pdev, &stale), -ESTALE);
	KUNIT_EXPECT_EQ(test, devsec_test_state(pdev), PCI_TSM_DEVSEC_LOCKED);
	KUNIT_EXPECT_EQ(test, atomic_read(&devsec_test.accept_calls), 0);

	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_accept(pdev, &gen), 0);
	KUNIT_EXPECT_EQ(test, devsec_test_state(pdev), PCI_TSM_DEVSEC_RUN);
	KUNIT_EXPECT_EQ(test, atomic_read(&devsec_test.accept_calls), 1);

	/* In RUN a stale generation still fails, the current one is a no-op */
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_accept(pdev, &stale), -ESTALE);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_accept(pdev, &gen), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&devsec_test.accept_calls), 1);

	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_unlock(pdev), 0);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_accept(pdev, &gen), -ENXIO);
}

static struct pci_dev *devsec_test_target;

static int devsec_test_drv_probe(struct pci_dev *pdev,
				 const struct pci_device_id *id)
{
	return pdev == devsec_test_target ? 0 : -ENODEV;
}

static void devsec_test_drv_remove(struct pci_dev *pdev)
{
}

static const struct pci_device_id devsec_test_drv_ids[] = {
	{ PCI_DEVICE(PCI_ANY_ID, PCI_ANY_ID) },
	{ }
};

static struct pci_driver devsec_test_driver = {
	.name = "pci_tsm_devsec_test",
	.id_table = devsec_test_drv_ids,
	.probe = devsec_test_drv_probe,
	.remove = devsec_test_drv_remove,
};

static void devsec_test_unregister_driver(void *drv)
{
	pci_unregister_driver(drv);
}

/* No state change while a driver is bound to the function */
static void pci_tsm_test_devsec_driver_bound(struct kunit *test)
{
	struct tsm_dev *tsm_dev = devsec_test_register(test, &devsec_test_ops);
	struct pci_dev *pdev = devsec_test_pdev(test);
	u64 gen;

	KUNIT_ASSERT_EQ(test, pci_tsm_devsec_lock(pdev, tsm_dev->id), 0);
	gen = pci_tsm_generation(pdev);

	devsec_test_target = pdev;
	KUNIT_ASSERT_EQ(test, pci_register_driver(&devsec_test_driver), 0);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test,
						  devsec_test_unregister_driver,
						  &devsec_test_driver));
	KUNIT_ASSERT_PTR_EQ(test, pdev->dev.driver,
			    &devsec_test_driver.driver);

	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_accept(pdev, NULL), -EBUSY);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_unlock(pdev), -EBUSY);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_lock(pdev, tsm_dev->id), -EBUSY);
	KUNIT_EXPECT_EQ(test, devsec_test_state(pdev), PCI_TSM_DEVSEC_LOCKED);
	KUNIT_EXPECT_EQ(test, atomic_read(&devsec_test.accept_calls), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&devsec_test.unlock_calls), 0);
	KUNIT_EXPECT_EQ(test, pci_tsm_generation(pdev), gen);

	kunit_release_action(test, devsec_test_unregister_driver,
			     &devsec_test_driver);
	KUNIT_ASSERT_NULL(test, pdev->dev.driver);

	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_accept(pdev, NULL), 0);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_unlock(pdev), 0);
	KUNIT_EXPECT_EQ(test, devsec_test_state(pdev), PCI_TSM_DEVSEC_UNLOCKED);
}

/* The TSM departs with the function LOCKED, in RUN or ERROR: all state goes */
static void pci_tsm_test_devsec_tsm_departs(struct kunit *test)
{
	const enum pci_tsm_devsec_state *state = test->param_value;
	struct pci_dev *pdev = devsec_test_pdev(test);
	struct tsm_dev *tsm_dev;
	u64 gen;
	int id;

	tsm_dev = tsm_register(NULL, &devsec_test_ops);
	KUNIT_ASSERT_FALSE(test, IS_ERR(tsm_dev));
	id = tsm_dev->id;
	devsec_test_goto(test, pdev, tsm_dev, *state);
	gen = pci_tsm_generation(pdev);

	tsm_unregister(tsm_dev);
	KUNIT_EXPECT_NULL(test, pdev->tsm);
	KUNIT_EXPECT_EQ(test, atomic_read(&devsec_test.unlock_calls), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&devsec_test.live), 0);
	KUNIT_EXPECT_EQ(test, devsec_test_state(pdev), PCI_TSM_DEVSEC_UNLOCKED);
	KUNIT_EXPECT_NE(test, pci_tsm_generation(pdev), gen);

	/* Nothing refers to the departed TSM */
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_accept(pdev, NULL), -ENXIO);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_lock(pdev, id), -ENXIO);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_unlock(pdev), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&devsec_test.unlock_calls), 1);
}

#define DEVSEC_TEST_THREADS	4
#define DEVSEC_TEST_LOOPS	300

struct devsec_test_worker {
	struct kunit *test;
	struct pci_dev *pdev;
	int tsm_id;
	atomic_t *stop;
	struct completion done;
	int bad_rc;		/* first unexpected return code, 0 if none */
	int ok;			/* successful transitions */
};

static int devsec_test_worker_fn(void *data)
{
	struct devsec_test_worker *w = data;
	int i, rc = 0;
	u64 gen;

	for (i = 0; i < DEVSEC_TEST_LOOPS && !atomic_read(w->stop); i++) {
		switch (get_random_u32_below(4)) {
		case 0:
			rc = pci_tsm_devsec_lock(w->pdev, w->tsm_id);
			if (rc == -EBUSY || rc == -ENXIO)
				rc = 1;
			break;
		case 1:
			rc = pci_tsm_devsec_accept(w->pdev, NULL);
			if (rc == -ENXIO)
				rc = 1;
			break;
		case 2:
			gen = pci_tsm_generation(w->pdev);
			rc = pci_tsm_devsec_accept(w->pdev, &gen);
			if (rc == -ENXIO || rc == -ESTALE)
				rc = 1;
			break;
		default:
			rc = pci_tsm_devsec_unlock(w->pdev);
			break;
		}
		if (rc < 0 && !w->bad_rc)
			w->bad_rc = rc;
		if (rc == 0)
			w->ok++;
		rc = pci_tsm_devsec_state(w->pdev);
		if ((rc < 0 || rc == PCI_TSM_DEVSEC_ERROR) && !w->bad_rc)
			w->bad_rc = rc ?: -EINVAL;
		cond_resched();
	}
	complete(&w->done);
	return 0;
}

static void devsec_test_hammer(struct kunit *test, struct pci_dev *pdev,
			       struct tsm_dev *tsm_dev, bool depart)
{
	struct devsec_test_worker *w;
	atomic_t stop = ATOMIC_INIT(0);
	int i, ok = 0;

	w = kunit_kcalloc(test, DEVSEC_TEST_THREADS, sizeof(*w), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, w);

	for (i = 0; i < DEVSEC_TEST_THREADS; i++) {
		struct task_struct *task;

		w[i] = (struct devsec_test_worker) {
			.test = test,
			.pdev = pdev,
			.tsm_id = tsm_dev->id,
			.stop = &stop,
		};
		init_completion(&w[i].done);
		task = kthread_run(devsec_test_worker_fn, &w[i],
				   "pci_tsm_test/%d", i);
		if (IS_ERR(task)) {
			atomic_set(&stop, 1);
			complete(&w[i].done);
			KUNIT_FAIL(test, "kthread_run: %ld", PTR_ERR(task));
		}
	}

	if (depart) {
		msleep(20);
		tsm_unregister(tsm_dev);
		/* no context may survive its TSM, however the race went */
		KUNIT_EXPECT_NULL(test, READ_ONCE(pdev->tsm));
	}

	for (i = 0; i < DEVSEC_TEST_THREADS; i++) {
		wait_for_completion(&w[i].done);
		KUNIT_EXPECT_EQ_MSG(test, w[i].bad_rc, 0, "worker %d", i);
		ok += w[i].ok;
	}
	KUNIT_EXPECT_GT(test, ok, 0);
	kunit_info(test, "%d successful transitions\n", ok);
}

/* Concurrent writers: every call returns an allowed code, nothing leaks */
static void pci_tsm_test_devsec_concurrent(struct kunit *test)
{
	struct tsm_dev *tsm_dev = devsec_test_register(test, &devsec_test_ops);
	struct pci_dev *pdev = devsec_test_pdev(test);

	devsec_test_hammer(test, pdev, tsm_dev, false);

	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_unlock(pdev), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&devsec_test.live), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&devsec_test.lock_calls),
			atomic_read(&devsec_test.unlock_calls));
	/* accept() only ever ran once per lock */
	KUNIT_EXPECT_LE(test, atomic_read(&devsec_test.accept_calls),
			atomic_read(&devsec_test.lock_calls));
}

/* The TSM departs while writers hammer it */
static void pci_tsm_test_devsec_concurrent_depart(struct kunit *test)
{
	struct pci_dev *pdev = devsec_test_pdev(test);
	struct tsm_dev *tsm_dev = tsm_register(NULL, &devsec_test_ops);

	KUNIT_ASSERT_FALSE(test, IS_ERR(tsm_dev));
	devsec_test_hammer(test, pdev, tsm_dev, true);

	KUNIT_EXPECT_NULL(test, pdev->tsm);
	KUNIT_EXPECT_EQ(test, atomic_read(&devsec_test.live), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&devsec_test.lock_calls),
			atomic_read(&devsec_test.unlock_calls));
}

/* A second devsec TSM with the first departing: each keeps its own */
static void pci_tsm_test_devsec_depart_other(struct kunit *test)
{
	struct tsm_dev *keep = devsec_test_register(test, &devsec_test_ops);
	struct tsm_dev *gone = tsm_register(NULL, &devsec_test_ops);
	struct pci_dev *pdev = devsec_test_pdev(test);

	KUNIT_ASSERT_FALSE(test, IS_ERR(gone));
	KUNIT_ASSERT_EQ(test, pci_tsm_devsec_lock(pdev, keep->id), 0);
	tsm_unregister(gone);
	KUNIT_EXPECT_EQ(test, devsec_test_state(pdev), PCI_TSM_DEVSEC_LOCKED);
	KUNIT_EXPECT_EQ(test, atomic_read(&devsec_test.unlock_calls), 0);
	KUNIT_EXPECT_EQ(test, pci_tsm_devsec_unlock(pdev), 0);
}

/* Values stay unique and grow, whoever bumps */
static void pci_tsm_test_generation_unique(struct kunit *test)
{
	struct pci_dev *a = kunit_kzalloc(test, sizeof(*a), GFP_KERNEL);
	struct pci_dev *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	u64 ga, gb;

	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_EQ(test, pci_tsm_generation(a), 0);

	pci_tsm_generation_bump(a);
	ga = pci_tsm_generation(a);
	pci_tsm_generation_bump(b);
	gb = pci_tsm_generation(b);
	KUNIT_EXPECT_GE(test, ga, 2);
	KUNIT_EXPECT_GT(test, gb, ga);
	pci_tsm_generation_bump(a);
	KUNIT_EXPECT_GT(test, pci_tsm_generation(a), gb);
}

enum {
	/* TSMs registered */
	VIS_LINK = BIT(0),
	VIS_DEVSEC = BIT(1),
	/* the function */
	VIS_PCIE = BIT(0),
	VIS_TEE = BIT(1),
	VIS_IDE = BIT(2),
	/* expected: tsm/ shown, connect + disconnect, lock + unlock + ... */
	VIS_GROUP = BIT(0),
	VIS_CONNECT = BIT(1),
	VIS_LOCK = BIT(2),
};

struct devsec_test_vis {
	const char *desc;
	unsigned int tsms;
	int type;
	unsigned int caps;
	unsigned int fn;
	unsigned int shown;
};

static const struct devsec_test_vis devsec_test_vis_cases[] = {
	{ "none-ep-tee-fn0", 0, PCI_EXP_TYPE_ENDPOINT,
	  VIS_PCIE | VIS_TEE, 0, 0 },
	{ "link-ep-tee-fn0", VIS_LINK, PCI_EXP_TYPE_ENDPOINT,
	  VIS_PCIE | VIS_TEE, 0, VIS_GROUP | VIS_CONNECT },
	{ "devsec-ep-tee-fn0", VIS_DEVSEC, PCI_EXP_TYPE_ENDPOINT,
	  VIS_PCIE | VIS_TEE, 0, VIS_GROUP | VIS_LOCK },
	{ "mixed-ep-tee-fn0", VIS_LINK | VIS_DEVSEC, PCI_EXP_TYPE_ENDPOINT,
	  VIS_PCIE | VIS_TEE, 0, VIS_GROUP | VIS_CONNECT | VIS_LOCK },
	{ "link-ep-tee-fn1", VIS_LINK, PCI_EXP_TYPE_ENDPOINT,
	  VIS_PCIE | VIS_TEE, 1, 0 },
	{ "devsec-ep-tee-fn1", VIS_DEVSEC, PCI_EXP_TYPE_ENDPOINT,
	  VIS_PCIE | VIS_TEE, 1, VIS_GROUP | VIS_LOCK },
	{ "mixed-ep-tee-fn1", VIS_LINK | VIS_DEVSEC, PCI_EXP_TYPE_ENDPOINT,
	  VIS_PCIE | VIS_TEE, 1, VIS_GROUP | VIS_LOCK },
	{ "link-ep-ide-fn0", VIS_LINK, PCI_EXP_TYPE_ENDPOINT,
	  VIS_PCIE | VIS_IDE, 0, VIS_GROUP | VIS_CONNECT },
	{ "devsec-ep-ide-fn0", VIS_DEVSEC, PCI_EXP_TYPE_ENDPOINT,
	  VIS_PCIE | VIS_IDE, 0, 0 },
	{ "mixed-ep-plain-fn0", VIS_LINK | VIS_DEVSEC, PCI_EXP_TYPE_ENDPOINT,
	  VIS_PCIE, 0, 0 },
	{ "devsec-rciep-tee", VIS_DEVSEC, PCI_EXP_TYPE_RC_END,
	  VIS_PCIE | VIS_TEE, 0, VIS_GROUP | VIS_LOCK },
	{ "mixed-rciep-tee", VIS_LINK | VIS_DEVSEC, PCI_EXP_TYPE_RC_END,
	  VIS_PCIE | VIS_TEE, 0, VIS_GROUP | VIS_CONNECT | VIS_LOCK },
	{ "mixed-upstream-tee", VIS_LINK | VIS_DEVSEC, PCI_EXP_TYPE_UPSTREAM,
	  VIS_PCIE | VIS_TEE, 0, VIS_GROUP | VIS_CONNECT },
	{ "mixed-rootport-tee", VIS_LINK | VIS_DEVSEC, PCI_EXP_TYPE_ROOT_PORT,
	  VIS_PCIE | VIS_TEE, 0, 0 },
	{ "mixed-conventional", VIS_LINK | VIS_DEVSEC, PCI_EXP_TYPE_ENDPOINT,
	  VIS_TEE | VIS_IDE, 0, 0 },
};

KUNIT_ARRAY_PARAM_DESC(devsec_test_vis, devsec_test_vis_cases, desc);

static umode_t devsec_test_visible(struct pci_dev *pdev, const char *name)
{
	const struct attribute_group *grp = &pci_tsm_attr_group;

	for (int i = 0; grp->attrs[i]; i++)
		if (!strcmp(grp->attrs[i]->name, name))
			return grp->is_visible(&pdev->dev.kobj, grp->attrs[i],
					       i) & ~SYSFS_GROUP_INVISIBLE;
	return 0;
}

/* tsm/ attributes shown for link-only, devsec-only and mixed systems */
static void pci_tsm_test_visibility(struct kunit *test)
{
	const struct devsec_test_vis *p = test->param_value;
	const struct attribute_group *grp = &pci_tsm_attr_group;
	struct pci_dev *pdev = kunit_kzalloc(test, sizeof(*pdev), GFP_KERNEL);
	bool group, connect, lock;

	KUNIT_ASSERT_NOT_NULL(test, pdev);
	pdev->pcie_cap = p->caps & VIS_PCIE ? 0x40 : 0;
	pdev->pcie_flags_reg = FIELD_PREP(PCI_EXP_FLAGS_TYPE, p->type);
	pdev->devcap = p->caps & VIS_TEE ? PCI_EXP_DEVCAP_TEE : 0;
	pdev->ide_cap = p->caps & VIS_IDE ? 0x100 : 0;
	pdev->devfn = PCI_DEVFN(1, p->fn);

	if (p->tsms & VIS_LINK)
		devsec_test_register(test, &devsec_test_link_ops);
	if (p->tsms & VIS_DEVSEC)
		devsec_test_register(test, &devsec_test_ops);

	group = !(grp->is_visible(&pdev->dev.kobj, grp->attrs[0], 0) &
		  SYSFS_GROUP_INVISIBLE);
	KUNIT_EXPECT_EQ(test, group, !!(p->shown & VIS_GROUP));
	if (!group)
		return;

	connect = p->shown & VIS_CONNECT;
	lock = p->shown & VIS_LOCK;
	KUNIT_EXPECT_EQ(test, !!devsec_test_visible(pdev, "connect"), connect);
	KUNIT_EXPECT_EQ(test, !!devsec_test_visible(pdev, "disconnect"), connect);
	KUNIT_EXPECT_EQ(test, devsec_test_visible(pdev, "lock"), lock ? 0644 : 0);
	KUNIT_EXPECT_EQ(test, devsec_test_visible(pdev, "unlock"), lock ? 0200 : 0);
	KUNIT_EXPECT_EQ(test, devsec_test_visible(pdev, "accept"), lock ? 0200 : 0);
	KUNIT_EXPECT_EQ(test, devsec_test_visible(pdev, "state"), lock ? 0644 : 0);
	KUNIT_EXPECT_EQ(test, devsec_test_visible(pdev, "generation"), 0444);
}

/* /sys/class/tsm/tsmN/mode names the flow a TSM serves */
static void pci_tsm_test_class_mode(struct kunit *test)
{
	struct tsm_dev *link = devsec_test_register(test, &devsec_test_link_ops);
	struct tsm_dev *devsec = devsec_test_register(test, &devsec_test_ops);
	struct tsm_dev *plain = devsec_test_register(test, NULL);
	const struct attribute_group *grp;
	struct device_attribute *mode;
	char *buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_NOT_NULL(test, link->dev.class->dev_groups);
	grp = link->dev.class->dev_groups[0];
	KUNIT_ASSERT_NOT_NULL(test, grp);
	KUNIT_ASSERT_STREQ(test, grp->attrs[0]->name, "mode");
	mode = container_of(grp->attrs[0], struct device_attribute, attr);
	KUNIT_EXPECT_EQ(test, mode->attr.mode, 0444);

	KUNIT_EXPECT_EQ(test, mode->show(&link->dev, mode, buf), 5);
	KUNIT_EXPECT_STREQ(test, buf, "link\n");
	KUNIT_EXPECT_EQ(test, mode->show(&devsec->dev, mode, buf), 7);
	KUNIT_EXPECT_STREQ(test, buf, "devsec\n");
	KUNIT_EXPECT_EQ(test, mode->show(&plain->dev, mode, buf), 1);
	KUNIT_EXPECT_STREQ(test, buf, "\n");
}

static struct kunit_case pci_tsm_devsec_test_cases[] = {
	KUNIT_CASE(pci_tsm_test_devsec_flow),
	KUNIT_CASE(pci_tsm_test_devsec_illegal),
	KUNIT_CASE(pci_tsm_test_devsec_ops_optional),
	KUNIT_CASE(pci_tsm_test_devsec_error),
	KUNIT_CASE_PARAM(pci_tsm_test_devsec_unlock_any,
			 devsec_test_state_gen_params),
	KUNIT_CASE(pci_tsm_test_devsec_generation),
	KUNIT_CASE(pci_tsm_test_devsec_driver_bound),
	KUNIT_CASE_PARAM(pci_tsm_test_devsec_tsm_departs,
			 devsec_test_held_state_gen_params),
	KUNIT_CASE(pci_tsm_test_devsec_depart_other),
	KUNIT_CASE_SLOW(pci_tsm_test_devsec_concurrent),
	KUNIT_CASE_SLOW(pci_tsm_test_devsec_concurrent_depart),
	KUNIT_CASE(pci_tsm_test_generation_unique),
	KUNIT_CASE_PARAM(pci_tsm_test_visibility, devsec_test_vis_gen_params),
	KUNIT_CASE(pci_tsm_test_class_mode),
	{}
};

static struct kunit_suite pci_tsm_devsec_test_suite = {
	.name = "pci_tsm_devsec",
	.init = devsec_test_init,
	.exit = devsec_test_exit,
	.test_cases = pci_tsm_devsec_test_cases,
};

kunit_test_suite(pci_tsm_devsec_test_suite);

MODULE_DESCRIPTION("KUnit tests for the PCI TSM devsec flow");
MODULE_LICENSE("GPL");
