package io.accord.core.txn;

/** Shared immutable error results (so failing ops allocate nothing). Thread-safe. */
final class Results {
    private static final Result.Error[] CACHE = new Result.Error[128];

    static {
        for (int i = 0; i < CACHE.length; i++) {
            CACHE[i] = new Result.Error(-i);
        }
    }

    private Results() {
    }

    static Result.Error error(int code) {
        return code <= 0 && code > -CACHE.length ? CACHE[-code] : new Result.Error(code);
    }
}
