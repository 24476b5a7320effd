'use client';
// Request form for withdrawing seed from a rare-seed bank accession.
// The server treats Idempotency-Key as unique per bank, so a double-click or a retry
// after a dropped connection creates one withdrawal request, not two.
import { useRef, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';

interface Props {
  bankId: string;
  lotId: string;
  species: string;
  maxGrams: number;
}

interface WithdrawalResponse {
  id: string;
  status: 'pending-curator' | 'approved';
}

async function postWithdrawal(
  bankId: string,
  body: { lotId: string; grams: number; purpose: string },
  idempotencyKey: string,
): Promise<WithdrawalResponse> {
  const res = await fetch(`/api/banks/${bankId}/withdrawal-requests`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': idempotencyKey },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) {
    const isJson = res.headers.get('content-type')?.includes('application/json');
    const detail = isJson ? await res.json() : { error: res.statusText };
    throw new Error(detail.error ?? `Request failed (${res.status})`);
  }
  return res.json();
}

export default function SeedWithdrawalForm({ bankId, lotId, species, maxGrams }: Props) {
  const queryClient = useQueryClient();
  const idempotencyKey = useRef(crypto.randomUUID());
  const [grams, setGrams] = useState(1);
  const [purpose, setPurpose] = useState('');

  const mutation = useMutation({
    mutationFn: () => postWithdrawal(bankId, { lotId, grams, purpose }, idempotencyKey.current),
    retry: 2,
    retryDelay: (attempt) => Math.min(8000, 500 * 2 ** attempt) * (0.5 + Math.random() / 2),
    onSuccess: () => {
      idempotencyKey.current = crypto.randomUUID(); // next submission is a new request
      queryClient.invalidateQueries({ queryKey: ['withdrawal-requests', bankId] });
    },
  });

  return (
    <form
      className="withdrawal-form"
      onSubmit={(e) => {
        e.preventDefault();
        mutation.mutate();
      }}
    >
      <h3>
        Request seed: <em>{species}</em>
      </h3>
      <label>
        Grams
        <input
          type="number"
          min={1}
          max={maxGrams}
          value={grams}
          onChange={(e) => setGrams(Number(e.target.value))}
        />
      </label>
      <label>
        Purpose
        <textarea value={purpose} onChange={(e) => setPurpose(e.target.value)} maxLength={500} required />
      </label>
      <button type="submit" disabled={mutation.isPending}>
        {mutation.isPending ? 'Sending…' : 'Submit request'}
      </button>
      {mutation.isError && <p role="alert">{(mutation.error as Error).message}</p>}
      {mutation.isSuccess && (
        <p role="status">Request {mutation.data.id} sent — a curator will review it.</p>
      )}
    </form>
  );
}
