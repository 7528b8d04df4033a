package dev.sodam.server.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/** Binds the listener: epoll where available, NIO otherwise. */
public final class NettyServer implements AutoCloseable {
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel channel;
    private final String transport;

    private NettyServer(EventLoopGroup boss, EventLoopGroup workers, Channel channel, String transport) {
        this.boss = boss;
        this.workers = workers;
        this.channel = channel;
        this.transport = transport;
    }

    /**
     * Binds the server. {@code maxOutboundBytes} is each connection's high write-buffer water mark:
     * a connection with more than that queued for a client that does not read becomes unwritable,
     * and its session closes it (see {@code ChannelSession}) instead of buffering without bound.
     */
    public static NettyServer bind(String host, int port, int maxOutboundBytes, SodamChannelInitializer initializer)
            throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup boss = epoll ? new EpollEventLoopGroup(1) : new NioEventLoopGroup(1);
        EventLoopGroup workers = epoll ? new EpollEventLoopGroup() : new NioEventLoopGroup();
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        try {
            Channel channel = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(channelType)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                            new WriteBufferWaterMark(maxOutboundBytes / 2, maxOutboundBytes))
                    .childHandler(initializer)
                    .bind(host, port).sync().channel();
            return new NettyServer(boss, workers, channel, epoll ? "epoll" : "nio");
        } catch (InterruptedException | RuntimeException e) {
            boss.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    public String transport() {
        return transport;
    }

    /** Stops accepting connections; the open ones go on. */
    public void stopAccepting() {
        channel.close().syncUninterruptibly();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
