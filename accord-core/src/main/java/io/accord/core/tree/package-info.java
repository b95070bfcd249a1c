/**
 * The live znode tree, laid out for a small heap: {@link io.accord.core.tree.Node} holds its name and data in one
 * byte array, its stat in primitive fields and an interned ACL id; children sit in a sorted
 * {@link io.accord.core.tree.ChildList}. No path strings are stored: {@link io.accord.core.tree.DataTree#find}
 * walks the components, comparing UTF-8 bytes. Everything here is mutated by the apply thread only, under the
 * replica's write lock.
 */
package io.accord.core.tree;
