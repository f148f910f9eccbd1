// Runs in Node (Vitest): the int8-or-fp32 decision as pure logic — forced choices, the fallbacks (no usable
// int8 model, a GPU provider), the speed margin — and which provider order leaves the CPU to run.
import { describe, expect, it } from 'vitest'
import { int8SiblingOf } from '../../../src/backend/tracking/model-catalog'
import {
  decidePrecision,
  INT8_MARGIN,
  int8SiblingName,
  isPrecisionChoice,
  type PrecisionFacts
} from '../../../src/backend/tracking/precision'
import { defaultPrecisionChoice } from '../../../src/backend/tracking/precision-choice'
import { cpuWillRun } from '../../../src/backend/tracking/providers'

const base: PrecisionFacts = { choice: 'auto', onCpu: true, int8Problem: null, speed: null }

describe('decidePrecision', () => {
  it('runs int8 on the CPU only when it is faster by the margin', () => {
    const faster = decidePrecision({ ...base, speed: { fp32Ms: 100, int8Ms: 60 } })
    expect(faster.precision).toBe('int8')
    expect(faster.reason).toContain('60 vs 100 ms')
    const edge = 100 * (1 - INT8_MARGIN)
    expect(decidePrecision({ ...base, speed: { fp32Ms: 100, int8Ms: edge } }).precision).toBe('fp32')
    const slower = decidePrecision({ ...base, speed: { fp32Ms: 100, int8Ms: 120 } })
    expect(slower).toMatchObject({ precision: 'fp32' })
    expect(slower.reason).toContain('not faster')
  })

  it('keeps fp32 on a GPU provider, without a measurement, or when int8 cannot be used', () => {
    const speed = { fp32Ms: 100, int8Ms: 10 }
    expect(decidePrecision({ ...base, onCpu: false, speed }).reason).toContain('GPU')
    expect(decidePrecision({ ...base }).precision).toBe('fp32')
    const missing = decidePrecision({ ...base, speed, int8Problem: 'm.int8.onnx is missing' })
    expect(missing).toEqual({
      precision: 'fp32',
      reason: 'the int8 model cannot be used: m.int8.onnx is missing'
    })
  })

  it('follows a forced choice, and says so when a forced int8 cannot run', () => {
    expect(decidePrecision({ ...base, choice: 'fp32', speed: { fp32Ms: 100, int8Ms: 1 } }).precision).toBe(
      'fp32'
    )
    expect(decidePrecision({ ...base, choice: 'int8', onCpu: false }).precision).toBe('int8')
    const broken = decidePrecision({ ...base, choice: 'int8', int8Problem: 'not an ONNX model' })
    expect(broken.precision).toBe('fp32')
    expect(broken.reason).toMatch(/^int8 was asked for but .*not an ONNX model/)
  })
})

describe('names and providers', () => {
  it('pairs a model with its int8 sibling by name', () => {
    expect(int8SiblingName('/m/mmfnet-small.onnx')).toBe('/m/mmfnet-small.int8.onnx')
    expect(int8SiblingOf('mmfnet-small.int8.onnx')).toBe('mmfnet-small.onnx')
    expect(int8SiblingOf('mmfnet-small.onnx')).toBeNull()
    expect(isPrecisionChoice('int8')).toBe(true)
    expect(isPrecisionChoice('int4')).toBe(false)
  })

  it('knows when the CPU is the provider that runs', () => {
    expect(cpuWillRun('cpu', () => true, 'linux')).toBe(true)
    const nvidia = (): boolean => true
    expect(cpuWillRun('auto', () => true, 'linux', nvidia)).toBe(false)
    expect(cpuWillRun('auto', () => false, 'linux', nvidia)).toBe(true) // no CUDA files: the CPU takes over
    expect(
      cpuWillRun(
        'auto',
        () => true,
        'linux',
        () => false
      )
    ).toBe(true) // no NVIDIA driver
    expect(cpuWillRun('auto', () => true, 'freebsd')).toBe(true) // no GPU provider on the platform
    expect(cpuWillRun('dml', () => true, 'win32')).toBe(false)
  })
})

describe('defaultPrecisionChoice', () => {
  it('reads SHUTTLE_PRECISION, auto where it is unset, and refuses a value it does not know', () => {
    expect(defaultPrecisionChoice({})).toBe('auto')
    expect(defaultPrecisionChoice({ SHUTTLE_PRECISION: '' })).toBe('auto')
    expect(defaultPrecisionChoice({ SHUTTLE_PRECISION: 'fp32' })).toBe('fp32')
    expect(defaultPrecisionChoice({ SHUTTLE_PRECISION: 'int8' })).toBe('int8')
    expect(() => defaultPrecisionChoice({ SHUTTLE_PRECISION: 'int4' })).toThrow(
      'SHUTTLE_PRECISION must be one of auto, fp32, int8, not "int4".'
    )
  })
})
