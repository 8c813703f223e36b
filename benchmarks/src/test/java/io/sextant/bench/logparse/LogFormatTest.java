package io.sextant.bench.logparse;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LogFormatTest {

    @Test
    void extractsContentWithTheLoghubFormat() {
        LogFormat hdfs = new LogFormat(LogFormat.LOGHUB.get("HDFS"));
        String line = "081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block blk_38 terminating";
        assertThat(hdfs.content(line)).isEqualTo("PacketResponder 1 for block blk_38 terminating");
        assertThat(hdfs.field(line, "Level")).isEqualTo("INFO");
    }

    @Test
    void optionalGroupsAndBracketsWork() {
        LogFormat linux = new LogFormat(LogFormat.LOGHUB.get("Linux"));
        assertThat(linux.content("Jun 14 15:16:02 combo sshd(pam_unix)[19937]: check pass; user unknown"))
                .isEqualTo("check pass; user unknown");
        assertThat(linux.content("Jun 15 04:06:18 combo su: session opened")).isEqualTo("session opened");
    }

    @Test
    void lineThatDoesNotFitGivesNull() {
        assertThat(new LogFormat("\\[<Time>\\] \\[<Level>\\] <Content>").content("no header here")).isNull();
    }

    @Test
    void csvRoundTripsQuotesAndCommas() {
        String field = "a \"b\", c";
        assertThat(Csv.parseLine("1," + Csv.quote(field) + ",x")).containsExactly("1", field, "x");
    }
}
