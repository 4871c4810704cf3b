// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.proxy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.function.LongConsumer;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.conduits.AbstractStreamSourceConduit;
import org.xnio.conduits.StreamSourceConduit;

/**
 * Watches the request body as it is read: counts the bytes that pass (the audit record's "bytes in") and says when
 * the body has ended (where the trailers Undertow parsed are dropped).
 */
final class CountingSourceConduit extends AbstractStreamSourceConduit<StreamSourceConduit> {

    private final LongConsumer count;
    private final Runnable ended;

    CountingSourceConduit(StreamSourceConduit next, LongConsumer count, Runnable ended) {
        super(next);
        this.count = count;
        this.ended = ended;
    }

    private long counted(long read) {
        if (read > 0) {
            count.accept(read);
        } else if (read == -1) {
            ended.run();
        }
        return read;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return (int) counted(next.read(dst));
    }

    @Override
    public long read(ByteBuffer[] dsts, int offs, int len) throws IOException {
        return counted(next.read(dsts, offs, len));
    }

    @Override
    public long transferTo(long position, long n, FileChannel target) throws IOException {
        return counted(next.transferTo(position, n, target));
    }

    @Override
    public long transferTo(long n, ByteBuffer throughBuffer, StreamSinkChannel target) throws IOException {
        return counted(next.transferTo(n, throughBuffer, target));
    }
}
