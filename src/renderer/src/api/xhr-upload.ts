// Runs in the renderer (browser mode): sends a dropped video's bytes to the local server. XMLHttpRequest rather
// than fetch: only it reports upload progress. The body is the File itself, which the browser streams from
// disk, so a large video is never held in memory.
import { UPLOAD_TOKEN_HEADER, UPLOAD_VIDEO_PATH } from '@shared/project/video-files'
import { RequestError, type Transport } from './transport'

export function xhrVideoUploader(origin: string, token: string): NonNullable<Transport['uploadVideo']> {
  return (file, match, onProgress) =>
    new Promise((resolve, reject) => {
      const q = new URLSearchParams({ match, name: file.name })
      const xhr = new XMLHttpRequest()
      xhr.open('POST', `${origin}${UPLOAD_VIDEO_PATH}?${q}`)
      xhr.setRequestHeader(UPLOAD_TOKEN_HEADER, token)
      xhr.setRequestHeader('Content-Type', 'application/octet-stream')
      xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size)
      xhr.onload = () => {
        if (xhr.status === 200) resolve()
        else reject(new RequestError('upload', xhr.responseText || `HTTP ${xhr.status}`))
      }
      xhr.onerror = () => reject(new RequestError('upload', 'The upload was cut off (the studio stopped?).'))
      xhr.send(file)
    })
}
