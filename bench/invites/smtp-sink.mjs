// A local SMTP server for bench/invites, in its own process so that it does not share the sender's
// CPU: accepts everything, counts messages, prints its port, and prints the count when asked on stdin.
import { SMTPServer } from 'smtp-server';

let received = 0;
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData(stream, _session, callback) {
    stream.on('data', () => undefined);
    stream.on('end', () => {
      received++;
      callback();
    });
  },
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${server.server.address().port}\n`);
});
process.stdin.setEncoding('utf8');
process.stdin.on('data', () => process.stdout.write(`${received}\n`));
process.stdin.on('end', () => server.close(() => process.exit(0)));
