package dev.reversible.jdbc;

/** The journal's table names under one prefix. */
record Tables(String schemaVersion, String instances, String sagas, String steps, String compensations) {

    static Tables prefixed(String prefix) {
        return new Tables(prefix + "schema_version", prefix + "instances", prefix + "sagas", prefix + "steps",
                prefix + "compensations");
    }
}
