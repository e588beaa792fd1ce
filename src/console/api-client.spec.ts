import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Request } from 'express';
import { ApiClient } from './api-client';

/** The console's calls of its own API, as a server on loopback receives them. */
describe('ApiClient', () => {
  let server: Server;
  let received: IncomingHttpHeaders[];
  let client: ApiClient;

  beforeAll(async () => {
    received = [];
    server = createServer((req, res) => {
      received.push(req.headers);
      res.setHeader('content-type', 'application/json');
      res.end('{"ok":true}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const page = { socket: { localPort: port }, ip: '10.0.0.7', id: 'page-1' } as unknown as Request;
    client = new ApiClient(page, 'token-1');
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('asks its own API for plain bytes: the loopback hop is never compressed and inflated again', async () => {
    await client.get('/cases', { pageSize: 5 });
    await client.post('/cases', { summary: 'x' });
    await client.raw('/reports/recap', { format: 'csv' });
    expect(received).toHaveLength(3);
    for (const headers of received) {
      expect(headers['accept-encoding']).toBe('identity');
      expect(headers.authorization).toBe('Bearer token-1');
      expect(headers['x-request-id']).toBe('page-1');
    }
  });
});
