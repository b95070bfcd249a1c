/**
 * The replicated session table ({@link io.accord.core.session.SessionTable}): live sessions with owner and
 * deadline in log time, the per-session ephemeral index, and session id allocation from replicated state.
 */
package io.accord.core.session;
