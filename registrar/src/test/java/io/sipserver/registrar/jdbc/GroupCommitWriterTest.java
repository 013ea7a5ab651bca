package io.sipserver.registrar.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sipserver.registrar.BindingChange;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GroupCommitWriterTest {

    private static final List<BindingChange> CHANGE = List.of(new BindingChange.Remove("sip:a@example.com", "sip:a@h"));

    private final CountDownLatch writing = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<Integer> transactionSizes = new CopyOnWriteArrayList<>();

    /** The first transaction waits until released, so the test controls what piles up behind it. */
    private final GroupCommitWriter.Transaction blockingFirst = changes -> {
        transactionSizes.add(changes.size());
        writing.countDown();
        try {
            release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    };

    @Test
    void everythingQueuedDuringACommitGoesIntoTheNextOneTransaction() throws Exception {
        try (GroupCommitWriter writer = new GroupCommitWriter("test-writer", 100, 100, Duration.ZERO, blockingFirst)) {
            CompletableFuture<Void> first = writer.submit(CHANGE);
            assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();
            List<CompletableFuture<Void>> queued = List.of(writer.submit(CHANGE), writer.submit(CHANGE),
                    writer.submit(CHANGE));
            assertThat(first).isNotDone();

            release.countDown();
            CompletableFuture.allOf(queued.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

            assertThat(transactionSizes).containsExactly(1, 3);
        }
    }

    @Test
    void aChangeAfterAQuietSpellIsWrittenAtOnceAndTheNextOnesWaitForTheCommitInterval() throws Exception {
        GroupCommitWriter.Transaction recording = changes -> transactionSizes.add(changes.size());
        // An interval far longer than a commit takes here, so that what follows the first commit waits for it.
        try (GroupCommitWriter writer = new GroupCommitWriter("test-writer", 100, 100, Duration.ofSeconds(3),
                recording)) {
            long start = System.nanoTime();
            writer.submit(CHANGE).get(10, TimeUnit.SECONDS);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));

            List<CompletableFuture<Void>> next = List.of(writer.submit(CHANGE), writer.submit(CHANGE));
            CompletableFuture.allOf(next.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
            assertThat(transactionSizes).containsExactly(1, 2);
        }
    }

    @Test
    void aFullQueueRefusesWorkInsteadOfBlocking() throws Exception {
        try (GroupCommitWriter writer = new GroupCommitWriter("test-writer", 1, 100, Duration.ZERO, blockingFirst)) {
            writer.submit(CHANGE);
            assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Void> queued = writer.submit(CHANGE);

            assertThatThrownBy(() -> writer.submit(CHANGE)).isInstanceOf(RejectedExecutionException.class)
                    .hasMessage("binding write queue is full (1 pending)");
            release.countDown();
            queued.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void closeWritesWhatIsQueuedThenRefusesWork() throws Exception {
        GroupCommitWriter writer = new GroupCommitWriter("test-writer", 100, 100, Duration.ZERO, blockingFirst);
        writer.submit(CHANGE);
        assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> queued = writer.submit(CHANGE);
        release.countDown();

        writer.close();

        assertThat(queued).isCompleted();
        assertThatThrownBy(() -> writer.submit(CHANGE)).isInstanceOf(RejectedExecutionException.class)
                .hasMessage("binding store is closed");
    }

    @Test
    void aFailedTransactionFailsItsFuturesAndTheWriterCarriesOn() throws Exception {
        List<Boolean> failNext = new CopyOnWriteArrayList<>(List.of(true));
        GroupCommitWriter.Transaction failingOnce = changes -> {
            if (failNext.remove(Boolean.TRUE)) {
                throw new SQLException("disk full");
            }
        };
        try (GroupCommitWriter writer = new GroupCommitWriter("test-writer", 100, 100, Duration.ZERO, failingOnce)) {
            CompletableFuture<Void> failed = writer.submit(CHANGE);

            assertThatThrownBy(() -> failed.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasRootCauseMessage("disk full");
            writer.submit(CHANGE).get(10, TimeUnit.SECONDS);
        }
    }
}
