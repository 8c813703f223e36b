package io.sextant.bench.logparse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The header layout of a log file, in the Loghub benchmark's notation: {@code <Field>} names a header field, the
 * last field is {@code <Content>}, a run of spaces matches any whitespace, everything else is a regular-expression
 * fragment. This parses line headers only; it knows nothing about templates.
 */
final class LogFormat {

    /** The standard Loghub benchmark formats, one per dataset (from the Loghub benchmark scripts). */
    static final Map<String, String> LOGHUB = Map.ofEntries(
            Map.entry("HDFS", "<Date> <Time> <Pid> <Level> <Component>: <Content>"),
            Map.entry("Hadoop", "<Date> <Time> <Level> \\[<Process>\\] <Component>: <Content>"),
            Map.entry("Spark", "<Date> <Time> <Level> <Component>: <Content>"),
            Map.entry("Zookeeper", "<Date> <Time> - <Level>  \\[<Node>:<Component>@<Id>\\] - <Content>"),
            Map.entry("BGL", "<Label> <Timestamp> <Date> <Node> <Time> <NodeRepeat> <Type> <Component> <Level> <Content>"),
            Map.entry("HPC", "<LogId> <Node> <Component> <State> <Time> <Flag> <Content>"),
            Map.entry("Thunderbird", "<Label> <Timestamp> <Date> <User> <Month> <Day> <Time> <Location> <Component>(\\[<PID>\\])?: <Content>"),
            Map.entry("Windows", "<Date> <Time>, <Level>                  <Component>    <Content>"),
            Map.entry("Linux", "<Month> <Date> <Time> <Level> <Component>(\\[<PID>\\])?: <Content>"),
            Map.entry("Android", "<Date> <Time>  <Pid>  <Tid> <Level> <Component>: <Content>"),
            Map.entry("HealthApp", "<Time>\\|<Component>\\|<Pid>\\|<Content>"),
            Map.entry("Apache", "\\[<Time>\\] \\[<Level>\\] <Content>"),
            Map.entry("Proxifier", "\\[<Time>\\] <Program> - <Content>"),
            Map.entry("OpenSSH", "<Date> <Day> <Time> <Component> sshd\\[<Pid>\\]: <Content>"),
            Map.entry("OpenStack", "<Logrecord> <Date> <Time> <Pid> <Level> <Component> \\[<ADDR>\\] <Content>"),
            Map.entry("Mac", "<Month>  <Date> <Time> <User> <Component>\\[<PID>\\]( via <Service>)?: <Content>"));

    private static final Pattern FIELD = Pattern.compile("<([^<>]+)>");

    private final Pattern pattern;
    private final List<String> fields;

    LogFormat(String format) {
        StringBuilder regex = new StringBuilder("^");
        List<String> names = new ArrayList<>();
        Matcher m = FIELD.matcher(format);
        int last = 0;
        while (m.find()) {
            regex.append(format.substring(last, m.start()).replaceAll(" +", "\\\\s+"));
            String name = m.group(1);
            names.add(name);
            regex.append("(?<").append(name).append(">.*?)");
            last = m.end();
        }
        regex.append(format.substring(last).replaceAll(" +", "\\\\s+")).append('$');
        this.pattern = Pattern.compile(regex.toString());
        this.fields = List.copyOf(names);
        if (!fields.contains("Content")) {
            throw new IllegalArgumentException("format has no <Content>: " + format);
        }
    }

    /** The content of a line, or {@code null} when the line does not fit the format. */
    String content(String line) {
        Matcher m = pattern.matcher(line);
        return m.matches() ? m.group("Content") : null;
    }

    /** A header field of a line, or {@code null}. */
    String field(String line, String name) {
        Matcher m = pattern.matcher(line);
        return m.matches() && fields.contains(name) ? m.group(name) : null;
    }
}
