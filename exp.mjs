import { fastify } from 'fastify';
import pino from 'pino';
process.on('uncaughtException', (e) => console.log('UNCAUGHT', e.message));
const logger = pino({}, { write(s) { if (s.includes('listening')) throw new Error('disk full'); } });
const app = fastify({ loggerInstance: logger });
try { await app.listen({ port: 0, host: '127.0.0.1' }); console.log('listened'); } catch (e) { console.log('rejected', e.message, app.server.listening); await app.close(); console.log(app.server.listening) }
