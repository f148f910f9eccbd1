// Runs in the renderer: the open project — its library of matches and clips with their progress — and
// opening a clip, which brings its video into the player and its labels into the labels store.
import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { Params, Result } from '../../../shared/api/contract'
import { useClient } from './client'
import { useLabelsStore } from './labels'
import { useVideoStore } from './video'

type Library = Result<'project.open'>

export const useProjectStore = defineStore('project', () => {
  const library = shallowRef<Library | null>(null)
  const busy = ref(false)
  const openClipId = ref<string | null>(null)

  async function run<T>(fn: () => Promise<T>): Promise<T> {
    busy.value = true
    try {
      return await fn()
    } finally {
      busy.value = false
    }
  }

  const open = (dir: string) =>
    run(async () => (library.value = await useClient().call('project.open', { dir })))
  const create = (dir: string, name?: string) =>
    run(
      async () =>
        (library.value = await useClient().call('project.create', { dir, ...(name ? { name } : {}) }))
    )
  const refresh = () => run(async () => (library.value = await useClient().call('project.library', {})))

  async function addVideos(params: Params<'project.addVideos'>): Promise<void> {
    await run(async () => (library.value = (await useClient().call('project.addVideos', params)).library))
  }

  async function renameMatch(from: string, to: string): Promise<void> {
    await run(async () => (library.value = await useClient().call('project.renameMatch', { from, to })))
  }

  async function removeClip(clipId: string): Promise<string> {
    return run(async () => {
      const res = await useClient().call('project.removeClip', { clipId })
      library.value = res.library
      return res.trashedTo
    })
  }

  async function openClip(clipId: string): Promise<void> {
    await run(async () => {
      const opened = await useClient().call('clip.open', { clipId })
      useVideoStore().adopt({ videoId: opened.videoId, info: opened.info })
      useLabelsStore().load(opened)
      openClipId.value = clipId
    })
  }

  return { library, busy, openClipId, open, create, refresh, addVideos, renameMatch, removeClip, openClip }
})
