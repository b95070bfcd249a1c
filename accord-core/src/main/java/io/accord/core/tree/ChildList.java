package io.accord.core.tree;

import java.util.Arrays;

/**
 * A node's children (and its pzxid and child-create counter, which only matter once it had a child), sorted by the unsigned bytes of their names, in one array with a start offset: lookups are a
 * binary search; appending at the end and removing at the front are O(1) amortized (queues of sequential nodes),
 * inserts and removals elsewhere move the shorter side. Not thread-safe: apply thread only.
 */
public final class ChildList {
    private static final Node[] EMPTY = new Node[0];
    private Node[] a = EMPTY;
    private int start;
    private int size;
    /** The owning node's pzxid and child-create counter (see {@link Node}). */
    long pzxid;
    int counter;

    public int size() {
        return size;
    }

    public Node get(int i) {
        return a[start + i];
    }

    /** The children in order, as a new array. */
    public Node[] toArray() {
        return Arrays.copyOfRange(a, start, start + size);
    }

    /** The index of the child named {@code key[from, to)}, or {@code -(insertionPoint + 1)}. */
    public int search(byte[] key, int from, int to) {
        return search((Object) key, from, to);
    }

    /**
     * {@link #search(byte[], int, int)} for a name given as one char per UTF-8 byte, {@code key[from, to)} (an
     * ASCII path as it is; see {@link DataTree#find}).
     */
    public int search(String key, int from, int to) {
        return search((Object) key, from, to);
    }

    private int search(Object key, int from, int to) {
        int lo = 0;
        int hi = size - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Node n = a[start + mid];
            int c = key instanceof String s ? n.compareName(s, from, to) : n.compareName((byte[]) key, from, to);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -(lo + 1);
    }

    void insert(int i, Node n) {
        if (i == size && start + size < a.length) {
            a[start + size++] = n;
            return;
        }
        if (i == 0 && start > 0) {
            a[--start] = n;
            size++;
            return;
        }
        if (start + size == a.length) {
            if (start > 0 && start >= a.length / 4) {
                System.arraycopy(a, start, a, 0, size);
                Arrays.fill(a, size, start + size, null);
                start = 0;
            } else {
                Node[] b = new Node[Math.max(4, a.length + (a.length >> 1) + 1)];
                System.arraycopy(a, start, b, 0, size);
                a = b;
                start = 0;
            }
        }
        if (start > 0 && i < size / 2) {
            System.arraycopy(a, start, a, start - 1, i);
            start--;
        } else {
            System.arraycopy(a, start + i, a, start + i + 1, size - i);
        }
        a[start + i] = n;
        size++;
    }

    void remove(int i) {
        if (i == 0) {
            a[start++] = null;
        } else if (i < size / 2) {
            System.arraycopy(a, start, a, start + 1, i);
            a[start++] = null;
        } else {
            System.arraycopy(a, start + i + 1, a, start + i, size - i - 1);
            a[start + size - 1] = null;
        }
        size--;
        if (size == 0) {
            start = 0;
        } else if (a.length > 16 && size < a.length / 4) {
            Node[] b = new Node[size * 2];
            System.arraycopy(a, start, b, 0, size);
            a = b;
            start = 0;
        }
    }
}
