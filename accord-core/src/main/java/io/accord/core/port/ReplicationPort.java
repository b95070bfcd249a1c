package io.accord.core.port;

import io.accord.core.Replica;
import io.accord.core.txn.ApplyListener;
import io.accord.core.txn.Request;

/**
 * The narrow port between a node's client front end and replication. The front end submits requests; the port
 * orders them into the log (Aeron Cluster, or in-process for a single node) and applies the log to the local
 * {@link Replica}, telling the registered listener about every applied request. The front end answers a write
 * when its own replica has applied it.
 */
public interface ReplicationPort extends AutoCloseable {

    /** This node's origin id (1..254), as carried in {@link Request#origin()}. */
    int nodeId();

    /** The local replica that reads are served from. */
    Replica replica();

    /**
     * Sets the listener for applied requests (one per node; call before {@link #start()}). It runs on the apply
     * thread while the replica's readers are held back.
     */
    void listener(ApplyListener listener);

    /** Starts ordering and applying. */
    void start();

    /**
     * Queues a request for the log. Never blocks.
     *
     * @return false when the port cannot take it now (not serving, shutting down, or its queue is full): the
     *         caller answers the client with an error or closes its connection
     */
    boolean submit(Request request);

    /** Whether this node is currently able to serve (for a cluster: part of a quorum with a leader). */
    boolean serving();

    @Override
    void close();
}
