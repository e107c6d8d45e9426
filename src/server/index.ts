export { startGatewayServer, type GatewayServer, type GatewayServerOptions } from './gateway-server.js';
