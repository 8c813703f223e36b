package io.sextant.collector.analysis.logs;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The miner on hand-written application log lines that are not from Loghub (whose datasets the masking rules were
 * studied on): numbers, ids, paths, addresses, hex, quoted strings, key=value pairs, lines of different lengths and a
 * template that gains a variable later. Each pair of lines below differs only in values, so it must share one
 * template; lines that differ in wording must not.
 */
class TemplateMinerFreshLinesTest {

    private final TemplateMiner miner = new TemplateMiner();

    /** Both lines get one template; returns its text. */
    private String same(String a, String b) {
        int first = miner.match(a);
        int second = miner.match(b);
        assertThat(second).as("'%s' and '%s' share a template", a, b).isEqualTo(first);
        return miner.templateText(first);
    }

    private void different(String a, String b) {
        assertThat(miner.match(a)).as("'%s' and '%s' differ", a, b).isNotEqualTo(miner.match(b));
    }

    @Test
    void numbersOfEveryShape() {
        assertThat(same("Processed 1500 records in 2.5 s", "Processed 12 records in 0.25 s"))
                .isEqualTo("Processed <*> records in <*> s");
        assertThat(same("Balance changed by -42.50 EUR for account 1,024",
                "Balance changed by 7 EUR for account 2,048"))
                .startsWith("Balance changed by <*> EUR for account <*>");
        assertThat(same("Took 250ms", "Took 3s")).isEqualTo("Took <*>");
        assertThat(miner.match("Took 1.2h")).isEqualTo(miner.match("Took 250ms"));
    }

    @Test
    void identifiersOfApplications() {
        assertThat(same("Created job job-7f3a9c2e for tenant acme", "Created job job-0b12ffe4 for tenant acme"))
                .isEqualTo("Created job job-<*> for tenant acme");
        assertThat(same("Order ORD-2024-000123 shipped to warehouse B", "Order ORD-2025-991 shipped to warehouse B"))
                .isEqualTo("Order <*> shipped to warehouse B");
        assertThat(same("Session a1b2c3d4-e5f6-4789-abcd-0123456789ab started",
                "Session 5f0e2a7c-1d3b-4c8e-9f6a-b7c8d9e0f1a2 started")).isEqualTo("Session <*> started");
        assertThat(same("Worker thread pool-3-thread-12 finished task 55",
                "Worker thread pool-1-thread-2 finished task 7")).isEqualTo("Worker thread <*> finished task <*>");
        assertThat(same("Event at 2026-11-27T21:40:03.123Z from sensor s-9",
                "Event at 2026-01-02T00:00:00Z from sensor s-10")).startsWith("Event at <*>").endsWith("sensor s-<*>");
    }

    @Test
    void pathsAndUrls() {
        assertThat(same("Reading config from /etc/myapp/config.yaml", "Reading config from ./conf/dev/app.properties"))
                .isEqualTo("Reading config from <*>");
        assertThat(same("GET https://api.example.com/v2/users/42?expand=roles 200",
                "GET https://api.example.com/v2/users/977?expand=roles 200")).doesNotContain("42", "977");
    }

    @Test
    void addressesOfEveryKind() {
        assertThat(same("client 192.168.1.20:51544 connected", "client [2001:db8::17]:443 connected"))
                .isEqualTo("client <*>:<*> connected");
        assertThat(same("Mac 3c:22:fb:91:0a:7e joined", "Mac 00:1a:2b:3c:4d:5e joined")).isEqualTo("Mac <*> joined");
    }

    @Test
    void hexValues() {
        assertThat(same("checksum 0xDEADBEEF does not match 0x00C0FFEE", "checksum 0x1 does not match 0xff"))
                .isEqualTo("checksum <*> does not match <*>");
        assertThat(same("deployed commit a3f9c21e on canary", "deployed commit 77bd0e1 on canary"))
                .isEqualTo("deployed commit <*> on canary");
    }

    @Test
    void quotedValuesAndQuotedWording() {
        assertThat(same("Upload 'report-2026-11.pdf' rejected: 1048577 bytes",
                "Upload 'invoice-3391.pdf' rejected: 52 bytes")).contains("rejected: <*> bytes");
        // a quoted sentence is wording: a different one is a different message
        different("Message 'hello world' rejected: too short", "Message 'a much longer greeting here' rejected: too short");
    }

    @Test
    void keyValuePairs() {
        assertThat(same("retry=3 backoff=250ms host=db-2 ok=true", "retry=10 backoff=500ms host=db-17 ok=true"))
                .isEqualTo("retry=<*> backoff=<*> host=db-<*> ok=true");
        // a plain word that differs is wording until it varies often enough
        different("cache=hit region=eu", "cache=miss region=eu");
    }

    @Test
    void linesOfDifferentLengthsStayApart() {
        different("Shutting down", "Shutting down now");
        different("Connection closed", "Connection closed by peer 10.0.0.7");
        assertThat(miner.match("Connection   closed ")).isEqualTo(miner.match("Connection closed"));
    }

    @Test
    void templateGainsAVariableLaterAndKeepsItsId() {
        int first = miner.match("Assigned shard 4 to node-7");
        assertThat(miner.templateText(first)).isEqualTo("Assigned shard <*> to node-<*>");
        // an address where a host name was: the template widens, the id stays
        int second = miner.match("Assigned shard 9 to 10.1.2.3");
        assertThat(second).isEqualTo(first);
        assertThat(miner.templateText(first)).isEqualTo("Assigned shard <*> to <*>");
        assertThat(miner.match("Assigned shard 12 to node-3")).isEqualTo(first);

        // user names are plain words: wording for four, a variable from the fifth on
        int[] ids = new int[6];
        String[] users = {"alice", "bob", "carol", "dave", "erin", "frank"};
        for (int i = 0; i < users.length; i++) {
            ids[i] = miner.match("User " + users[i] + " logged in");
        }
        assertThat(ids[1]).isNotEqualTo(ids[0]);
        assertThat(ids[4]).isEqualTo(ids[0]);
        assertThat(ids[5]).isEqualTo(ids[0]);
        assertThat(miner.resolve(ids[2])).isEqualTo(ids[0]);
        assertThat(miner.templateText(ids[0])).isEqualTo("User <*> logged in");
    }

    @Test
    void exceptionsKeepTheirClassAndWording() {
        assertThat(same("java.net.SocketTimeoutException: Read timed out after 30000 ms",
                "java.net.SocketTimeoutException: Read timed out after 5000 ms"))
                .isEqualTo("java.net.SocketTimeoutException: Read timed out after <*> ms");
        different("java.net.SocketTimeoutException: Read timed out after 30000 ms",
                "java.net.ConnectException: Read timed out after 30000 ms");
    }
}
