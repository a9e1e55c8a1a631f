package io.pxj.runtime.spi.support;

/** A thread that owns a counter slot for its life, like an nio event-loop thread (for tests). */
public final class OwnerThread extends Thread implements StripedCounter.Owner {
    final int slot = StripedCounter.claimSlot();

    public OwnerThread(Runnable r) {
        super(r, "test-owner");
    }

    @Override
    public int counterSlot() {
        return slot;
    }

    @Override
    public void run() {
        try {
            super.run();
        } finally {
            StripedCounter.releaseSlot(slot);
        }
    }
}
