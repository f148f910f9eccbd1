// Runs in the renderer: the training job — start fine-tuning on the project, follow its progress (pushed by
// the backend), cancel it — and whether this machine can train at all.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { Params, Result } from '../../../shared/api/contract'
import { useClient } from './client'

type Status = Result<'training.status'>
type Job = NonNullable<Status['job']>

export const useTrainingStore = defineStore('training', () => {
  const status = ref<Status | null>(null)
  const job = ref<Job | null>(null)
  const error = ref<string | null>(null)
  let subscribed = false

  async function refresh(): Promise<void> {
    const client = useClient()
    if (!subscribed) {
      subscribed = true
      client.on('training.update', (j) => (job.value = j))
    }
    status.value = await client.call('training.status', {})
    job.value = status.value.job ?? job.value
  }

  async function start(params: Params<'training.start'>): Promise<void> {
    error.value = null
    try {
      job.value = await useClient().call('training.start', params)
    } catch (err) {
      error.value = (err as Error).message
    }
  }

  async function cancel(): Promise<void> {
    if (job.value) await useClient().call('training.cancel', { jobId: job.value.jobId })
  }

  return { status, job, error, refresh, start, cancel }
})
