/**
 * ZooKeeper's ACL model: ids and permission bits (the API records), {@link io.accord.core.acl.AclRules} for
 * {@code fixupACL}, permission checks and getACL redaction, {@link io.accord.core.acl.IpAddresses} for the
 * {@code ip} scheme, and {@link io.accord.core.acl.AclTable}, the reference-counted interning table with
 * deterministic ids that nodes point into.
 */
package io.accord.core.acl;
