package io.sextant.collector.analysis.logs;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TemplateMinerTest {

    private final TemplateMiner miner = new TemplateMiner();

    private String template(String line) {
        return miner.templateText(miner.match(line));
    }

    @Test
    void masksNumbersAndKeepsWording() {
        int a = miner.match("Took 19.05 seconds to spawn the instance");
        int b = miner.match("Took 7 seconds to spawn the instance");
        assertThat(a).isEqualTo(b);
        assertThat(miner.templateText(a)).isEqualTo("Took <*> seconds to spawn the instance");
        assertThat(template("retry -3 of 5")).isEqualTo("retry <*> of <*>");
    }

    @Test
    void masksIdsHexAndUuids() {
        assertThat(template("Deleting block blk_-6952295868487656571 file x"))
                .isEqualTo("Deleting block <*> file x");
        assertThat(template("Created MRAppMaster for application appattempt_1445144423722_0020_000001"))
                .isEqualTo("Created MRAppMaster for application <*>");
        assertThat(template("flags=0x1f mask 0ad3ffff token 9f4ef63"))
                .isEqualTo("flags=<*> mask <*> token <*>");
        assertThat(template("[instance: b9000564-fe1a-409b-b8cc-1e88b294cd1d] Terminating instance"))
                .isEqualTo("[instance: <*>] Terminating instance");
    }

    @Test
    void masksPathsIpsAndPorts() {
        assertThat(template("Deleting instance files /var/lib/nova/instances/abc_del"))
                .isEqualTo("Deleting instance files <*>");
        assertThat(template("Received block from /10.250.19.102:50010 ok"))
                .isEqualTo("Received block from <*>:<*> ok");
        assertThat(template("connection from 10.10.34.11 port 45307"))
                .isEqualTo("connection from <*> port <*>");
        assertThat(template("Connecting to driver: spark://CoarseGrainedScheduler@10.10.34.11:48069"))
                .isEqualTo("Connecting to driver: spark://<*>");
        assertThat(template("rhost=24-54-76-216.bflony.adelphia.net user=guest"))
                .isEqualTo("rhost=<*> user=guest");
        assertThat(template("10.11.10.1 \"GET /v2/54fa/servers/detail HTTP/1.1\" status: 200 len: 1893"))
                .isEqualTo("<*> \"GET <*>\" status: <*> len: <*>");
        assertThat(template("DHCPDISCOVER from 00:11:43:e3:ba:c3 via eth1: no leases"))
                .isEqualTo("DHCPDISCOVER from <*> via eth1: no leases");
        assertThat(template("Directory index forbidden by rule: /var/www/html/"))
                .isEqualTo("Directory index forbidden by rule: <*>");
    }

    @Test
    void masksValuesInsideQuotesBracketsAndKeyValuePairs() {
        assertThat(template("Saved output of task 'attempt_201706092018_0024_m_000003_1012' to x"))
                .isEqualTo("Saved output of task '<*>' to x");
        assertThat(template("Final view: name=cp-1 phys_ram=64172MB used_vcpus=1 pci_stats=[]"))
                .isEqualTo("Final view: name=cp-<*> phys_ram=<*> used_vcpus=<*> pci_stats=[]");
        assertThat(template("queued msgid=<200511091901.jA9J1UvC004306@eadmin1>, relay=local"))
                .isEqualTo("queued msgid=<*>, relay=local");
        assertThat(template("status=true owner=root session=null"))
                .isEqualTo("status=true owner=<*> session=<*>");
        assertThat(template("timestamp 2015-07-29 17:41:44,747 seen"))
                .isEqualTo("timestamp <*>-<*>-<*> <*>:<*>:<*>,<*> seen");
        assertThat(template("at Fri Jun 17 07:07:00 2005"))
                .isEqualTo("at <*> <*> <*> <*>:<*>:<*> <*>");
    }

    @Test
    void keepsConstantsThatOnlyLookNumeric() {
        assertThat(template("NIFF: link up on interface alt0")).isEqualTo("NIFF: link up on interface alt0");
        assertThat(template("NIFF: link up on interface ee0")).isEqualTo("NIFF: link up on interface ee0");
        assertThat(miner.match("NIFF: link up on interface alt0")).isNotEqualTo(miner.match("NIFF: link up on interface ee0"));
    }

    @Test
    void linesOfDifferentLengthsAreDifferentTemplates() {
        int opened = miner.match("session opened for user news by (uid=0)");
        int closed = miner.match("session closed for user news");
        int closedAgain = miner.match("session   closed for  user news ");
        assertThat(opened).isNotEqualTo(closed);
        assertThat(closedAgain).isEqualTo(closed);
        assertThat(miner.templateText(opened)).isEqualTo("session opened for user news by (uid=<*>)");
    }

    @Test
    void differentWordsAreDifferentTemplates() {
        int get = miner.match("10.11.10.1 \"GET /v2/servers HTTP/1.1\" status: 200");
        int post = miner.match("10.11.10.1 \"POST /v2/servers HTTP/1.1\" status: 200");
        assertThat(get).isNotEqualTo(post);
    }

    @Test
    void templateGainsAVariableLaterAndKeepsItsId() {
        int first = miner.match("Fan speeds ( 3552 3534 node7 )");
        assertThat(miner.templateText(first)).isEqualTo("Fan speeds ( <*> <*> node7 )");
        int second = miner.match("Fan speeds ( 3552 3534 node12 )");
        assertThat(second).isEqualTo(first);
        assertThat(miner.templateText(first)).isEqualTo("Fan speeds ( <*> <*> <*> )");
        assertThat(miner.merges()).isEqualTo(1);
        assertThat(miner.template(first).count()).isEqualTo(2);
        assertThat(miner.match("Fan speeds ( 1 2 node99 )")).isEqualTo(first);
    }

    @Test
    void templateThatGainsAVariableFoldsInTheTemplatesItNowCovers() {
        int cyrus = miner.match("session closed for user cyrus");
        int news = miner.match("session closed for user news");
        assertThat(news).isNotEqualTo(cyrus); // two plain words: wording until shown otherwise
        int root = miner.match("session closed for user root"); // root is a value: the template gains a variable
        assertThat(root).isEqualTo(cyrus);
        assertThat(miner.templateText(cyrus)).isEqualTo("session closed for user <*>");
        assertThat(miner.resolve(news)).isEqualTo(cyrus);
        assertThat(miner.templateText(news)).isEqualTo("session closed for user <*>");
        assertThat(miner.match("session closed for user news")).isEqualTo(cyrus);
        assertThat(miner.template(cyrus).count()).isEqualTo(4);
        assertThat(miner.templateMerges()).isEqualTo(1);
        assertThat(miner.templates()).extracting(LogTemplate::id).containsExactly(cyrus);
    }

    @Test
    void plainWordBecomesAVariableOnceFiveSiblingsDifferOnlyThere() {
        String[] users = {"alice", "bob", "carol", "dave"};
        int[] ids = new int[users.length];
        for (int i = 0; i < users.length; i++) {
            ids[i] = miner.match("Invalid user " + users[i] + " from 10.0.0." + i);
        }
        assertThat(ids).doesNotHaveDuplicates(); // four could be the states of an enumeration
        int fifth = miner.match("Invalid user erin from 10.0.0.9");
        assertThat(fifth).isEqualTo(ids[0]);
        assertThat(miner.templateText(ids[0])).isEqualTo("Invalid user <*> from <*>");
        for (int id : ids) {
            assertThat(miner.resolve(id)).isEqualTo(ids[0]);
        }
        assertThat(miner.match("Invalid user mallory from 10.0.0.7")).isEqualTo(ids[0]);
        // the first word names the event: boot/wait/halt/... never fold
        for (String verb : new String[] {"boot", "wait", "halt", "risBoot", "clusterAddMember", "kill"}) {
            miner.match(verb + " (command 1902)");
        }
        assertThat(miner.match("boot (command 7)")).isNotEqualTo(miner.match("wait (command 7)"));
    }

    @Test
    void unitAfterANumberVariesWithIt() {
        int kb = miner.match("Block b_1 stored (estimated size 5.2 KB, free 5.2 KB)");
        int b = miner.match("Block b_2 stored (estimated size 384.0 B, free 5.1 KB)");
        int kbAgain = miner.match("Block b_3 stored (estimated size 8.8 KB, free 14.0 KB)");
        assertThat(b).isEqualTo(kb);
        assertThat(kbAgain).isEqualTo(kb);
        assertThat(miner.templateText(kb)).isEqualTo("Block <*> stored (estimated size <*> <*>, free <*> KB)");
        assertThat(miner.match("Block b_4 stored (estimated size 5.2 apples, free 14.0 KB)")).isNotEqualTo(kb);
    }

    @Test
    void plainWordInsideAWordIsWordingNotAValue() {
        int root = miner.match("failure; rhost=10.0.0.1 user=root");
        int guest = miner.match("failure; rhost=10.0.0.2 user=guest");
        assertThat(guest).isNotEqualTo(root);
        assertThat(miner.templateText(guest)).isEqualTo("failure; rhost=<*> user=guest");
    }

    @Test
    void valueOfADifferentShapeWidensTheTemplateKeepingPunctuation() {
        int a = miner.match("synchronized to 10.100.20.250, stratum 3");
        int b = miner.match("synchronized to LOCAL(0), stratum 10");
        assertThat(b).isEqualTo(a);
        assertThat(miner.templateText(a)).isEqualTo("synchronized to <*>, stratum <*>");
    }

    @Test
    void supplidPatternGivesAnExactTemplate() {
        int id = miner.matchPattern("User {} logged in from {}");
        assertThat(miner.templateText(id)).isEqualTo("User <*> logged in from <*>");
        assertThat(miner.template(id).exact()).isTrue();
        assertThat(miner.matchPattern("User {} logged in from {}")).isEqualTo(id);
        assertThat(miner.templateText(miner.matchPattern("Took %d ms (%5.2f%%) for %s")))
                .isEqualTo("Took <*> ms (<*>%%) for <*>");
        assertThat(miner.templateText(miner.matchPattern("Order {0} shipped to {1,number,#}")))
                .isEqualTo("Order <*> shipped to <*>");
    }

    @Test
    void idsAreStableAndDense() {
        int a = miner.match("alpha one");
        int b = miner.match("beta two three");
        int c = miner.match("alpha one");
        assertThat(a).isZero();
        assertThat(b).isEqualTo(1);
        assertThat(c).isEqualTo(a);
        assertThat(miner.templateCount()).isEqualTo(2);
        assertThat(miner.templates()).extracting(LogTemplate::text).containsExactly("alpha one", "beta two three");
    }

    @Test
    void refusesNewTemplatesWhenFullButStillMatchesKnownOnes() {
        TemplateMiner small = new TemplateMiner(1, 16);
        int a = small.match("only template here");
        assertThat(small.match("another template here now")).isEqualTo(TemplateMiner.OVERFLOW);
        assertThat(small.match("only template here")).isEqualTo(a);
        assertThat(small.overflowed()).isEqualTo(1);
    }

    @Test
    void fullCacheStillMatchesWithoutCaching() {
        TemplateMiner small = new TemplateMiner(100, 16, 1);
        int a = small.match("disk sda full");
        int b = small.match("disk sdb full");
        assertThat(small.match("disk sdb full")).isEqualTo(b);
        assertThat(small.match("disk sda full")).isEqualTo(a);
        assertThat(small.uncached()).isEqualTo(2);
    }

    @Test
    void manyTemplatesOfOneLengthStayMatchableAndMissesStayBounded() {
        String[] w = {"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"};
        int first = miner.match("alpha alpha alpha happened");
        for (String a : w) {
            for (String b : w) {
                for (String c : w) {
                    miner.match(a + " " + b + " " + c + " happened");
                }
            }
        }
        assertThat(miner.templateCount()).isGreaterThan(TemplateMiner.MAX_CANDIDATES);
        // the oldest template is beyond the miss window, but its masked line is cached
        assertThat(miner.match("alpha alpha alpha happened")).isEqualTo(miner.resolve(first));
    }

    @Test
    void emptyAndBlankLinesShareOneTemplate() {
        int empty = miner.match("");
        assertThat(miner.match("   ")).isEqualTo(empty);
        assertThat(miner.templateText(empty)).isEmpty();
    }
}
