import { Expo } from 'expo-server-sdk';
import { db } from './db';

const expo = new Expo();

export async function notifyAll(message: string) {
  const tokens: { token: string }[] = await db.query('SELECT token FROM push_tokens');
  const chunks = expo.chunkPushNotifications(tokens.map((t) => ({ to: t.token, body: message })));
  for (const chunk of chunks) {
    try {
      await expo.sendPushNotificationsAsync(chunk);
    } catch {}
  }
}
