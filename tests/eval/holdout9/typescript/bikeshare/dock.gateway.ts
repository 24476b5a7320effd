// dock/dock.gateway.ts + dock.service.ts
// Live ride tracking for the rider app. Deployed on k8s, bikeshare-api replicas: 4 behind nginx ingress.
import { Injectable, Logger } from '@nestjs/common';
import {
  ConnectedSocket, MessageBody, OnGatewayDisconnect, SubscribeMessage, WebSocketGateway, WebSocketServer,
} from '@nestjs/websockets';
import { Server, Socket } from 'socket.io';
import axios, { AxiosInstance } from 'axios';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

@Injectable()
export class DockService {
  private readonly logger = new Logger(DockService.name);
  private readonly http: AxiosInstance = axios.create({
    baseURL: process.env.DOCK_CONTROLLER_URL,
    headers: { 'x-api-key': process.env.DOCK_CONTROLLER_KEY },
  });

  /** Ask the dock controller to release a bike. Docks are on LTE and drop requests sometimes. */
  async unlock(dockId: string, bikeId: string): Promise<void> {
    let lastErr: unknown;
    for (let attempt = 0; attempt < 10; attempt++) {
      try {
        await this.http.post(`/docks/${dockId}/unlock`, { bikeId });
        return;
      } catch (err) {
        lastErr = err;
        this.logger.warn(`unlock ${dockId} attempt ${attempt + 1} failed`);
        await sleep(250);
      }
    }
    throw lastErr;
  }
}

@WebSocketGateway({ namespace: '/rides', cors: true })
export class RideGateway implements OnGatewayDisconnect {
  @WebSocketServer() server: Server;

  // rideId -> sockets watching that ride (rider + support staff)
  private readonly watchers = new Map<string, Set<string>>();

  constructor(private readonly docks: DockService) {}

  @SubscribeMessage('watch')
  watch(@ConnectedSocket() socket: Socket, @MessageBody() rideId: string) {
    if (!this.watchers.has(rideId)) this.watchers.set(rideId, new Set());
    this.watchers.get(rideId)!.add(socket.id);
  }

  /** Called by the telemetry consumer on whichever pod picked up the MQTT message. */
  broadcastPosition(rideId: string, lat: number, lng: number) {
    for (const socketId of this.watchers.get(rideId) ?? []) {
      this.server.to(socketId).emit('position', { rideId, lat, lng });
    }
  }

  @SubscribeMessage('unlock')
  async onUnlock(@MessageBody() body: { dockId: string; bikeId: string }) {
    await this.docks.unlock(body.dockId, body.bikeId);
    return { ok: true };
  }

  handleDisconnect(socket: Socket) {
    for (const set of this.watchers.values()) set.delete(socket.id);
  }
}
