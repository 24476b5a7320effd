import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';

const openai = new OpenAI({ apiKey: process.env.OPENAI_API_KEY, timeout: 30_000, maxRetries: 2 });
const anthropic = new Anthropic();

export async function classifyTicket(text: string): Promise<string> {
  const res = await openai.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [
      { role: 'system', content: 'Answer with one of: billing, bug, feature, other.' },
      { role: 'user', content: text },
    ],
  });
  return res.choices[0]?.message.content?.trim() ?? 'other';
}

export async function draftReply(ticket: string): Promise<string> {
  const msg = await anthropic.messages.create({
    model: 'claude-3-5-sonnet-latest',
    max_tokens: 800,
    messages: [{ role: 'user', content: `Draft a polite reply to this support ticket:\n\n${ticket}` }],
  });
  const block = msg.content[0];
  return block.type === 'text' ? block.text : '';
}
