// A Spring Boot service logging with logback's `%d %-5level [%thread] %logger{36} - %msg`, and
// printing exceptions the JVM way: one physical line per frame, `Caused by:`, `... 42 more`.

import { secondParts, millis3 } from '../time-text';
import { chance, hex, int, pick, type Rng } from '../rng';
import type { Emit, KindWriter, Level } from './emit';
import { fakeRequest } from './traffic';

const LEVEL_TEXT: Record<Level, string> = { debug: 'DEBUG', info: 'INFO ', warn: 'WARN ', error: 'ERROR' };

function pkg(service: string): string {
  return service.startsWith('payment') ? 'payments' : service.replace(/[^a-z]/g, '');
}

function head(e: Emit, level: Level, thread: string, logger: string): string {
  const p = secondParts(e.ts);
  return `${p.date} ${p.time}.${millis3(e.ts)} ${LEVEL_TEXT[level]} [${thread}] ${logger} - `;
}

const httpThread = (rng: Rng) => `http-nio-8080-exec-${int(rng, 1, 10)}`;

interface Failure {
  logger: string;
  message: string;
  exception: string;
  frames: string[];
  cause?: { exception: string; frames: string[] };
}

const SPRING_FRAMES = [
  'org.springframework.web.servlet.mvc.method.annotation.ServletInvocableHandlerMethod.invokeAndHandle(ServletInvocableHandlerMethod.java:118)',
  'org.springframework.web.servlet.DispatcherServlet.doDispatch(DispatcherServlet.java:1089)',
  'org.springframework.web.servlet.FrameworkServlet.processRequest(FrameworkServlet.java:1014)',
  'jakarta.servlet.http.HttpServlet.service(HttpServlet.java:658)',
  'org.apache.catalina.core.ApplicationFilterChain.doFilter(ApplicationFilterChain.java:140)',
  'org.apache.coyote.http11.Http11Processor.service(Http11Processor.java:397)',
  'org.apache.tomcat.util.net.NioEndpoint$SocketProcessor.doRun(NioEndpoint.java:1769)',
  'java.base/java.lang.Thread.run(Thread.java:1583)',
];

function failure(rng: Rng, service: string): Failure {
  const app = `com.example.${pkg(service)}`;
  const id = `pay_${hex(rng, 12)}`;
  switch (int(rng, 0, 2)) {
    case 0:
      return {
        logger: `${app}.gateway.AuthorizationService`,
        message: `Authorization failed for payment ${id}`,
        exception: `${app}.gateway.AcquirerException: Acquirer did not answer within 5000 ms`,
        frames: [
          `${app}.gateway.AcquirerClient.authorize(AcquirerClient.java:${int(rng, 80, 140)})`,
          `${app}.gateway.AuthorizationService.authorize(AuthorizationService.java:${int(rng, 40, 90)})`,
          `${app}.web.PaymentController.create(PaymentController.java:${int(rng, 30, 60)})`,
        ],
        cause: {
          exception: 'java.net.SocketTimeoutException: Read timed out',
          frames: [
            'java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:278)',
            'java.base/sun.nio.ch.NioSocketImpl.implRead(NioSocketImpl.java:304)',
            'java.base/java.net.Socket$SocketInputStream.read(Socket.java:1099)',
            'okhttp3.internal.http1.Http1ExchangeCodec.readResponseHeaders(Http1ExchangeCodec.kt:180)',
          ],
        },
      };
    case 1:
      return {
        logger: 'o.a.c.c.C.[.[.[/].[dispatcherServlet]',
        message:
          'Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed: org.springframework.dao.DataAccessResourceFailureException: Unable to acquire JDBC Connection] with root cause',
        exception: 'java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms (total=10, active=10, idle=0, waiting=24)',
        frames: [
          'com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:686)',
          'com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:179)',
          'com.zaxxer.hikari.HikariDataSource.getConnection(HikariDataSource.java:100)',
          `${app}.repository.ProductRepository.findById(ProductRepository.java:${int(rng, 20, 70)})`,
          `${app}.web.ProductController.get(ProductController.java:${int(rng, 30, 60)})`,
        ],
      };
    default:
      return {
        logger: `${app}.events.ProductEventListener`,
        message: `Failed to process record product-updates-${int(rng, 0, 5)}@${int(rng, 100_000, 999_999)}`,
        exception: 'java.lang.IllegalStateException: Product 0 has no price in currency EUR',
        frames: [
          `${app}.service.PriceService.priceOf(PriceService.java:${int(rng, 60, 120)})`,
          `${app}.events.ProductEventListener.onMessage(ProductEventListener.java:${int(rng, 30, 80)})`,
          'org.springframework.kafka.listener.KafkaMessageListenerContainer$ListenerConsumer.doInvokeOnMessage(KafkaMessageListenerContainer.java:2812)',
        ],
        cause: {
          exception: 'java.lang.NullPointerException: Cannot invoke "java.math.BigDecimal.scale()" because "amount" is null',
          frames: [`${app}.model.Money.of(Money.java:${int(rng, 20, 40)})`, `${app}.service.PriceService.convert(PriceService.java:${int(rng, 120, 160)})`],
        },
      };
  }
}

function stackTrace(e: Emit, f: Failure): void {
  const out = (text: string) => e.line(text, 'stdout');
  out(f.exception);
  for (const frame of f.frames) out(`\tat ${frame}`);
  const framework = SPRING_FRAMES.slice(0, int(e.rng, 3, SPRING_FRAMES.length));
  for (const frame of framework) out(`\tat ${frame}`);
  if (f.cause) {
    out(`Caused by: ${f.cause.exception}`);
    for (const frame of f.cause.frames) out(`\tat ${frame}`);
    out(`\t... ${f.frames.length + framework.length} more`);
  }
}

export const java: KindWriter = {
  hasDebug: true,
  event(e, level, burst) {
    const rng = e.rng;
    const app = `c.e.${pkg(e.service)}`;
    if (level === 'error') {
      const f = failure(rng, e.service);
      e.line(head(e, level, httpThread(rng), f.logger) + f.message, 'stdout');
      if (burst || chance(rng, 0.75)) stackTrace(e, f);
      return;
    }
    if (level === 'debug') {
      if (chance(rng, 0.5)) e.line(head(e, level, httpThread(rng), 'org.hibernate.SQL') + 'select p1_0.id,p1_0.name,p1_0.price,p1_0.currency from product p1_0 where p1_0.id=?', 'stdout');
      else e.line(head(e, level, httpThread(rng), `${app}.cache.ProductCache`) + `Cache ${pick(rng, ['hit', 'miss'])} for product ${int(rng, 1000, 6000)}`, 'stdout');
      return;
    }
    if (level === 'warn') {
      const w = rng();
      if (w < 0.3) e.line(head(e, level, 'HikariPool-1 housekeeper', 'com.zaxxer.hikari.pool.HikariPool') + `HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta=${int(rng, 40, 90)}s${int(rng, 100, 999)}ms).`, 'stdout');
      else if (w < 0.6) e.line(head(e, level, httpThread(rng), 'o.s.w.s.m.s.DefaultHandlerExceptionResolver') + "Resolved [org.springframework.web.HttpRequestMethodNotSupportedException: Request method 'PUT' is not supported]", 'stdout');
      else e.line(head(e, level, httpThread(rng), `${app}.client.InventoryClient`) + `Inventory lookup slow: ${int(rng, 800, 4000)} ms for product ${int(rng, 1000, 6000)}`, 'stdout');
      return;
    }
    const i = rng();
    if (i < 0.1) {
      e.line(head(e, level, 'HikariPool-1 housekeeper', 'com.zaxxer.hikari.pool.HikariPool') + `HikariPool-1 - Pool stats (total=10, active=${int(rng, 0, 6)}, idle=${int(rng, 4, 10)}, waiting=0)`, 'stdout');
    } else if (i < 0.2) {
      e.line(head(e, level, 'scheduling-1', `${app}.service.PriceService`) + `Repriced ${int(rng, 1, 300)} products in category "${pick(rng, ['Müsli', 'Outdoor', 'Küche', 'Books'])}"`, 'stdout');
    } else {
      const r = fakeRequest(rng, e.service, level);
      e.line(head(e, level, httpThread(rng), `${app}.web.RequestLoggingFilter`) + `${r.method} ${r.path} -> ${r.status} (${Math.round(r.latencyMs)} ms) user=${r.userId} traceId=${r.traceId}`, 'stdout');
    }
  },
  long(e, payload) {
    e.line(head(e, 'debug', 'kafka-producer-network-thread | producer-1', `c.e.${pkg(e.service)}.events.EventPublisher`) + `Publishing catalog snapshot: ${payload}`, 'stdout');
  },
};
