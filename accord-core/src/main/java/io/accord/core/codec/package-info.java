/**
 * Accord's own versioned binary formats (not jute), all little-endian and CRC32C-checked.
 *
 * <ul>
 *   <li>{@link io.accord.core.codec.LogEntryCodec}: what the replicated log carries, one
 *   {@link io.accord.core.txn.LogEntry} per frame: an SBE-style header (body length, template id, schema
 *   version, CRC32C) and the body. Encoding writes into the caller's buffer with no per-field allocation.</li>
 *   <li>{@link io.accord.core.codec.SnapshotCodec}: a streaming snapshot of the whole image (file header, one
 *   framed and CRC'd record per meta/ACL/node/session, an END record with counts), for Aeron snapshots and for
 *   catching up members. Never needs the whole snapshot in memory.</li>
 *   <li>{@link io.accord.core.codec.ImageCodec}: the record layouts both of the above and the checkpoint stores
 *   share, including the ordered node key {@code utf8(parent) 0x00 utf8(name)}.</li>
 * </ul>
 *
 * Every decoder checks lengths against the input before allocating and rejects damaged, truncated, unknown or
 * other-version input with one exception type, {@link io.accord.core.codec.CorruptDataException}, whose message
 * names the field or record and what was expected; nothing half-decoded is handed on.
 */
package io.accord.core.codec;
