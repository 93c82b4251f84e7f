package io.echolot.bench;

import io.echolot.alert.UnansweredAlerts;
import io.echolot.care.BrandConversations;
import io.echolot.care.CareEvent;
import io.echolot.care.CareKeys;
import io.echolot.care.CareOutcome;
import io.echolot.care.ClassifyCare;
import io.echolot.care.ResponseTimes;
import io.echolot.care.ScopeOutcomes;
import io.echolot.care.ScopedOutcome;
import io.echolot.care.UnansweredPattern;
import io.echolot.cep.ReleasingCepOperator;
import io.echolot.model.TopMention;
import io.echolot.testing.Mentions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.Random;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.cep.nfa.compiler.NFACompiler;
import org.apache.flink.cep.operator.CepOperator;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;

/**
 * Keyed state of the care path under many conversations: brand conversations → one CEP operator per
 * SLA → unanswered alerts → response times, each in a test harness (heap state backend), fed
 * conversation after conversation while event time advances; prints the keyed state entries and
 * timers per operator and the used heap at intervals. Not a test: {@code java -cp ...
 * io.echolot.bench.CareStateBenchmark [conversations] [seconds between conversations] [plain]},
 * {@code plain} for Flink's own CEP operator.
 *
 * <p>Each conversation is one care item (a fifth of them high priority, 15-minute SLA, else 60
 * minutes); 70 % get a brand post within the SLA, 20 % after it, 10 % none; a third of those posts
 * are the marker of a brand post opening a thread, which marks the brand's presence but answers
 * nothing, so about 60 % are answered in time. Defaults of the job: a week of retention, hourly
 * figures; state TTL time follows event time, so the alerts' version memory (90 days) passes too.
 */
public final class CareStateBenchmark {

    static final Duration RETENTION = Duration.ofDays(7);
    static final long NORMAL = Duration.ofMinutes(60).toMillis();
    static final long HIGH = Duration.ofMinutes(15).toMillis();
    static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    private CareStateBenchmark() {}

    public static void main(String[] args) throws Exception {
        int conversations = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        long gap = (args.length > 1 ? Long.parseLong(args[1]) : 10) * 1_000;
        boolean plain = args.length > 2 && args[2].equals("plain");
        new Run(plain).go(conversations, gap);
    }

    static final class Run {
        final KeyedOneInputStreamOperatorTestHarness<String, CareEvent, CareEvent> brand;
        final List<KeyedOneInputStreamOperatorTestHarness<String, CareEvent, CareOutcome>> cep =
                new ArrayList<>();
        final List<UnansweredPattern> patterns = new ArrayList<>();
        final KeyedTwoInputStreamOperatorTestHarness<String, CareOutcome, CareEvent, ?> alerts;
        final KeyedOneInputStreamOperatorTestHarness<String, ScopedOutcome, ?> figures;
        final ScopeOutcomes scope = new ScopeOutcomes(Duration.ofHours(1));
        final TopMention post =
                TopMention.of(
                        Mentions.mention("p", "cardiofit", List.of(), Instant.ofEpochMilli(T0)));

        Run(boolean plain) throws Exception {
            brand =
                    new KeyedOneInputStreamOperatorTestHarness<>(
                            new KeyedProcessOperator<>(new BrandConversations(RETENTION)),
                            new CareKeys.Conversation(),
                            Types.STRING);
            brand.open();
            var serializer =
                    TypeInformation.of(CareEvent.class)
                            .createSerializer(new SerializerConfigImpl());
            for (long sla : new long[] {HIGH, NORMAL}) {
                UnansweredPattern p = new UnansweredPattern(Duration.ofMillis(sla));
                var nfa = NFACompiler.compileFactory(p.pattern(), true);
                CepOperator<CareEvent, String, CareOutcome> op =
                        plain
                                ? new CepOperator<>(
                                        serializer, false, nfa, null, null, p.process(), null)
                                : new ReleasingCepOperator<>(serializer, nfa, null, p.process());
                var h =
                        new KeyedOneInputStreamOperatorTestHarness<>(
                                op, new CareKeys.Conversation(), Types.STRING);
                h.open();
                cep.add(h);
                patterns.add(p);
            }
            alerts =
                    new KeyedTwoInputStreamOperatorTestHarness<>(
                            new KeyedCoProcessOperator<>(new UnansweredAlerts(RETENTION)),
                            new CareKeys.OutcomeConversation(),
                            new CareKeys.Conversation(),
                            Types.STRING);
            alerts.setStateTtlProcessingTime(T0);
            alerts.open();
            figures =
                    new KeyedOneInputStreamOperatorTestHarness<>(
                            new KeyedProcessOperator<>(new ResponseTimes(RETENTION)),
                            ScopedOutcome::key,
                            Types.STRING);
            figures.open();
        }

        void go(int conversations, long gap) throws Exception {
            Random random = new Random(7);
            PriorityQueue<StreamRecord<CareEvent>> pending =
                    new PriorityQueue<>((a, b) -> Long.compare(a.getTimestamp(), b.getTimestamp()));
            long started = System.nanoTime();
            int report = Math.max(1, conversations / 20);
            System.out.println(
                    "conversations  event-day  brand-conv  cep(15m+60m)  alerts  figures  total"
                            + "  timers  heap-MB  seconds");
            for (int i = 1; i <= conversations; i++) {
                long t = T0 + i * gap;
                String conversation = "c" + i;
                boolean high = random.nextInt(5) == 0;
                long sla = high ? HIGH : NORMAL;
                pending.add(record(event(false, conversation, t, sla, ClassifyCare.ADDRESSED)));
                int fate = random.nextInt(10);
                if (fate < 9) {
                    long delay =
                            fate < 7
                                    ? 60_000 + (long) (random.nextDouble() * (sla - 60_000))
                                    : sla + (long) (random.nextDouble() * 2 * sla);
                    boolean marker = random.nextInt(3) == 0;
                    pending.add(
                            record(
                                    event(
                                            true,
                                            conversation,
                                            t + delay,
                                            0,
                                            marker ? ClassifyCare.BRAND_POST : null)));
                }
                if (i % 100 == 0) {
                    step(pending, t);
                }
                if (i % report == 0) {
                    print(i, t, started);
                }
            }
            brand.close();
            for (var h : cep) {
                h.close();
            }
            alerts.close();
            figures.close();
        }

        StreamRecord<CareEvent> record(CareEvent e) {
            return new StreamRecord<>(e, e.at());
        }

        CareEvent event(boolean reply, String conversation, long at, long sla, String reason) {
            return new CareEvent(
                    reply,
                    "cardiofit",
                    conversation,
                    conversation + (reply ? "-r" : "-i"),
                    "x",
                    at,
                    List.of("delivery"),
                    sla == HIGH,
                    sla,
                    reason,
                    reply ? null : post,
                    null);
        }

        /** Everything due by {@code now} through all operators, then the watermark {@code now}. */
        void step(PriorityQueue<StreamRecord<CareEvent>> pending, long now) throws Exception {
            while (!pending.isEmpty() && pending.peek().getTimestamp() <= now) {
                brand.processElement(pending.poll());
            }
            brand.processWatermark(now);
            alerts.setStateTtlProcessingTime(now);
            List<StreamRecord<CareEvent>> events = drain(brand.getOutput());
            List<StreamRecord<ScopedOutcome>> scoped = new ArrayList<>();
            List<StreamRecord<CareOutcome>> overdue = new ArrayList<>();
            for (int s = 0; s < cep.size(); s++) {
                var h = cep.get(s);
                for (StreamRecord<CareEvent> e : events) {
                    if (patterns.get(s).accepts(e.getValue())) {
                        h.processElement(e);
                    }
                }
                h.processWatermark(now);
                scope(drain(h.getOutput()), scoped);
                List<StreamRecord<CareOutcome>> late = side(h, UnansweredPattern.OVERDUE);
                overdue.addAll(late);
                scope(late, scoped);
            }
            for (StreamRecord<CareOutcome> o : overdue) {
                alerts.processElement1(o);
            }
            for (StreamRecord<CareEvent> e : events) {
                if (e.getValue().reply()) {
                    alerts.processElement2(e);
                } else {
                    scoped(new CareOutcome(CareOutcome.Kind.OPENED, e.getValue(), -1), e, scoped);
                }
            }
            alerts.processBothWatermarks(new Watermark(now));
            alerts.getOutput().clear();
            scope(side(alerts, UnansweredAlerts.ANSWERED_LATE), scoped);
            for (StreamRecord<ScopedOutcome> s : scoped) {
                figures.processElement(s);
            }
            figures.processWatermark(now);
            figures.getOutput().clear();
        }

        void scope(List<StreamRecord<CareOutcome>> outcomes, List<StreamRecord<ScopedOutcome>> to) {
            for (StreamRecord<CareOutcome> o : outcomes) {
                scoped(o.getValue(), o, to);
            }
        }

        void scoped(CareOutcome o, StreamRecord<?> at, List<StreamRecord<ScopedOutcome>> to) {
            scope.flatMap(
                    o,
                    new org.apache.flink.util.Collector<>() {
                        @Override
                        public void collect(ScopedOutcome s) {
                            to.add(new StreamRecord<>(s, at.getTimestamp()));
                        }

                        @Override
                        public void close() {}
                    });
        }

        @SuppressWarnings("unchecked")
        static <T> List<StreamRecord<T>> drain(Queue<Object> output) {
            List<StreamRecord<T>> out = new ArrayList<>();
            for (Object o : output) {
                if (o instanceof StreamRecord<?> r) {
                    out.add((StreamRecord<T>) r);
                }
            }
            output.clear();
            return out;
        }

        static <T> List<StreamRecord<T>> side(
                AbstractStreamOperatorTestHarness<?> h, OutputTag<T> tag) {
            Queue<StreamRecord<T>> q = h.getSideOutput(tag);
            if (q == null) {
                return List.of();
            }
            List<StreamRecord<T>> out = new ArrayList<>(q);
            q.clear();
            return out;
        }

        void print(int i, long t, long started) {
            int b = brand.numKeyedStateEntries();
            int c = 0;
            int timers = brand.numEventTimeTimers();
            for (var h : cep) {
                c += h.numKeyedStateEntries();
                timers += h.numEventTimeTimers();
            }
            int a = alerts.numKeyedStateEntries();
            int f = figures.numKeyedStateEntries();
            timers += alerts.numEventTimeTimers() + figures.numEventTimeTimers();
            System.gc();
            Runtime rt = Runtime.getRuntime();
            long heap = (rt.totalMemory() - rt.freeMemory()) >> 20;
            System.out.printf(
                    "%13d  %9.1f  %10d  %12d  %6d  %7d  %5d  %6d  %7d  %7.0f%n",
                    i,
                    (t - T0) / 86_400_000.0,
                    b,
                    c,
                    a,
                    f,
                    b + c + a + f,
                    timers,
                    heap,
                    (System.nanoTime() - started) / 1e9);
        }
    }
}
