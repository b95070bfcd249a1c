package io.accord.core.storage;

class MemoryCheckpointStoreTest extends CheckpointStoreContract {
    @Override
    protected CheckpointStore newStore() {
        return new MemoryCheckpointStore();
    }

    @Override
    protected CheckpointStore reopen(CheckpointStore current) {
        return current;
    }

    @Override
    protected boolean persistent() {
        return false;
    }
}
