;; Frame-to-frame HSV distance, 16 pixels at a time (WebAssembly SIMD): the same numbers as the JavaScript
;; reference in engine/test/scenes/hsv-reference.ts (OpenCV's 8-bit BGR->HSV, bit for bit), at a fraction
;; of its cost. Two entry points: `next` takes packed BGR, `next_yuv` planar YUV 4:2:0 (half the bytes
;; through the pipe from ffmpeg, and no RGB pass in ffmpeg), converted here exactly as swscale would.
;; Compiled by scripts/gen-wasm.mjs into hsv-wasm.ts; a test fails when that file is stale.
;;
;; Each call works in two passes: the groups of 16 pixels that changed since the previous frame are flagged
;; and their B, G and R written to three planes; then the HSV pass runs over the flagged groups. Hot code is
;; written out in place, not called: V8 does not inline WebAssembly calls, and a call per group cost more
;; than the arithmetic.
;;
;; Memory (offsets passed in by hsv.ts), P pixels (a multiple of 16; padding pixels stay black in every
;; frame, so they add nothing):
;;   from 0       this frame as the caller wrote it (packed BGR, or Y, U and V planes)
;;   $prev        the previous frame, same layout
;;   $planes      B, G and R of the changed groups, P bytes each
;;   $flags       one byte per group: 1 = changed
;;   $hsv         hue (0..179), saturation and value of the previous frame, P bytes each
;;
;; OpenCV divides by table: sat = (diff * round(255 * 2^12 / max) + 2^11) >> 12 and
;; hue = (num * round(180 * 2^12 / (6 * diff)) + 2^11) >> 12. The table entries are computed here in f32:
;; the quotients are never within an ulp of a half, so rounding them gives the table's integers exactly.
(module
  (memory (export "memory") 1)

  ;; Byte positions of B, G and R in 48 bytes of BGR, taken from the three 16-byte loads (16 = none).
  (global $b0 v128 (v128.const i8x16 0 3 6 9 12 15 16 16 16 16 16 16 16 16 16 16))
  (global $b1 v128 (v128.const i8x16 16 16 16 16 16 16 2 5 8 11 14 16 16 16 16 16))
  (global $b2 v128 (v128.const i8x16 16 16 16 16 16 16 16 16 16 16 16 1 4 7 10 13))
  (global $g0 v128 (v128.const i8x16 1 4 7 10 13 16 16 16 16 16 16 16 16 16 16 16))
  (global $g1 v128 (v128.const i8x16 16 16 16 16 16 0 3 6 9 12 15 16 16 16 16 16))
  (global $g2 v128 (v128.const i8x16 16 16 16 16 16 16 16 16 16 16 16 2 5 8 11 14))
  (global $r0 v128 (v128.const i8x16 2 5 8 11 14 16 16 16 16 16 16 16 16 16 16 16))
  (global $r1 v128 (v128.const i8x16 16 16 16 16 16 1 4 7 10 13 16 16 16 16 16 16))
  (global $r2 v128 (v128.const i8x16 16 16 16 16 16 16 16 16 16 16 0 3 6 9 12 15))

  ;; YUV -> RGB as swscale does it on x86 (the numbers the BGR path gets from ffmpeg, bit for bit): with
  ;; y = 8 (Y - yoff), u = 8 (U - 128), v = 8 (V - 128) and hi(a, c) = a c >> 16 (pmulhw),
  ;; Y' = hi(y, cy), B = Y' + hi(u, cbu), G = Y' + hi(u, cgu) + hi(v, cgv), R = Y' + hi(v, crv), clamped.
  ;; 16-bit coefficients in i16 lanes, set by `matrix`.
  (global $yoff (mut v128) (v128.const i16x8 16 16 16 16 16 16 16 16))
  (global $cy (mut v128) (v128.const i16x8 0 0 0 0 0 0 0 0))
  (global $crv (mut v128) (v128.const i16x8 0 0 0 0 0 0 0 0))
  (global $cbu (mut v128) (v128.const i16x8 0 0 0 0 0 0 0 0))
  (global $cgu (mut v128) (v128.const i16x8 0 0 0 0 0 0 0 0))
  (global $cgv (mut v128) (v128.const i16x8 0 0 0 0 0 0 0 0))

  (func (export "matrix") (param $yoff i32) (param $cy i32) (param $crv i32) (param $cbu i32) (param $cgu i32)
    (param $cgv i32)
    (global.set $yoff (i16x8.splat (local.get $yoff)))
    (global.set $cy (i16x8.splat (local.get $cy)))
    (global.set $crv (i16x8.splat (local.get $crv)))
    (global.set $cbu (i16x8.splat (local.get $cbu)))
    (global.set $cgu (i16x8.splat (local.get $cgu)))
    (global.set $cgv (i16x8.splat (local.get $cgv))))

  (func $hsum (param $v v128) (result i32)
    (i32.add
      (i32.add (i32x4.extract_lane 0 (local.get $v)) (i32x4.extract_lane 1 (local.get $v)))
      (i32.add (i32x4.extract_lane 2 (local.get $v)) (i32x4.extract_lane 3 (local.get $v)))))

  ;; The HSV pass over the flagged groups: sums of |dH|, |dS| and |dV| to the previous frame, whose HSV
  ;; planes are updated.
  (func $hsv (param $groups i32) (param $flags i32) (param $planes i32) (param $p i32) (param $hsv i32)
    (result i32 i32 i32)
    (local $k i32) (local $o i32) (local $q i32)
    (local $b v128) (local $g v128) (local $r v128) (local $max v128) (local $diff v128) (local $h v128)
    (local $s v128) (local $zero v128) (local $old v128)
    (local $mx v128) (local $df v128) (local $bb v128) (local $gg v128) (local $rr v128) (local $h4 v128) (local $s4 v128)
    (local $dh v128) (local $ds v128) (local $dv v128)
    (block $done
      (loop $group
        (br_if $done (i32.ge_u (local.get $k) (local.get $groups)))
        (if (i32.load8_u (i32.add (local.get $flags) (local.get $k)))
          (then
            (local.set $o (i32.shl (local.get $k) (i32.const 4)))
            (local.set $b (v128.load (i32.add (local.get $planes) (local.get $o))))
            (local.set $g (v128.load (i32.add (i32.add (local.get $planes) (local.get $p)) (local.get $o))))
            (local.set $r
              (v128.load (i32.add (i32.add (local.get $planes) (i32.shl (local.get $p) (i32.const 1))) (local.get $o))))
            (local.set $max (i8x16.max_u (i8x16.max_u (local.get $b) (local.get $g)) (local.get $r)))
            (local.set $diff
              (i8x16.sub (local.get $max) (i8x16.min_u (i8x16.min_u (local.get $b) (local.get $g)) (local.get $r))))
            ;; Hue and saturation four pixels at a time, in i32 lanes: each round takes bytes 0..3 of
            ;; max, diff, b, g and r, then moves them along; results enter h and s from the top. After four
            ;; rounds max is back in its order: it is the value channel.
            (local.set $q (i32.const 4))
            (loop $quarter
              (local.set $mx (i32x4.extend_low_i16x8_u (i16x8.extend_low_i8x16_u (local.get $max))))
              (local.set $df (i32x4.extend_low_i16x8_u (i16x8.extend_low_i8x16_u (local.get $diff))))
              (local.set $bb (i32x4.extend_low_i16x8_u (i16x8.extend_low_i8x16_u (local.get $b))))
              (local.set $gg (i32x4.extend_low_i16x8_u (i16x8.extend_low_i8x16_u (local.get $g))))
              (local.set $rr (i32x4.extend_low_i16x8_u (i16x8.extend_low_i8x16_u (local.get $r))))
              ;; sat = (diff * round(1044480 / max) + 2048) >> 12; max = 0 means diff = 0, so 0.
              (local.set $s4
                (i32x4.shr_s
                  (i32x4.add
                    (i32x4.mul
                      (local.get $df)
                      (i32x4.trunc_sat_f32x4_s
                        (f32x4.nearest
                          (f32x4.div (f32x4.splat (f32.const 1044480)) (f32x4.convert_i32x4_s (local.get $mx))))))
                    (i32x4.splat (i32.const 2048)))
                  (i32.const 12)))
              ;; max = r: g - b; else max = g: b - r + 2 diff; else r - g + 4 diff (OpenCV's order decides ties).
              (local.set $h4
                (v128.bitselect
                  (i32x4.sub (local.get $gg) (local.get $bb))
                  (v128.bitselect
                    (i32x4.add (i32x4.sub (local.get $bb) (local.get $rr)) (i32x4.shl (local.get $df) (i32.const 1)))
                    (i32x4.add (i32x4.sub (local.get $rr) (local.get $gg)) (i32x4.shl (local.get $df) (i32.const 2)))
                    (i32x4.eq (local.get $mx) (local.get $gg)))
                  (i32x4.eq (local.get $mx) (local.get $rr))))
              ;; hue = (num * round(122880 / diff) + 2048) >> 12, + 180 when negative; diff = 0 means num = 0.
              (local.set $h4
                (i32x4.shr_s
                  (i32x4.add
                    (i32x4.mul
                      (local.get $h4)
                      (i32x4.trunc_sat_f32x4_s
                        (f32x4.nearest
                          (f32x4.div (f32x4.splat (f32.const 122880)) (f32x4.convert_i32x4_s (local.get $df))))))
                    (i32x4.splat (i32.const 2048)))
                  (i32.const 12)))
              (local.set $h4
                (i32x4.add (local.get $h4)
                  (v128.and (i32x4.lt_s (local.get $h4) (v128.const i32x4 0 0 0 0)) (i32x4.splat (i32.const 180)))))
              ;; Four results to bytes 12..15 of h and s, after what is there moves down four bytes.
              (local.set $h
                (i8x16.shuffle 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19
                  (local.get $h)
                  (i8x16.narrow_i16x8_u (i16x8.narrow_i32x4_s (local.get $h4) (local.get $h4)) (local.get $zero))))
              (local.set $s
                (i8x16.shuffle 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19
                  (local.get $s)
                  (i8x16.narrow_i16x8_u (i16x8.narrow_i32x4_s (local.get $s4) (local.get $s4)) (local.get $zero))))
              (local.set $max (i8x16.shuffle 4 5 6 7 8 9 10 11 12 13 14 15 0 1 2 3 (local.get $max) (local.get $max)))
              (local.set $diff (i8x16.shuffle 4 5 6 7 8 9 10 11 12 13 14 15 0 1 2 3 (local.get $diff) (local.get $diff)))
              (local.set $b (i8x16.shuffle 4 5 6 7 8 9 10 11 12 13 14 15 0 1 2 3 (local.get $b) (local.get $b)))
              (local.set $g (i8x16.shuffle 4 5 6 7 8 9 10 11 12 13 14 15 0 1 2 3 (local.get $g) (local.get $g)))
              (local.set $r (i8x16.shuffle 4 5 6 7 8 9 10 11 12 13 14 15 0 1 2 3 (local.get $r) (local.get $r)))
              (local.set $q (i32.sub (local.get $q) (i32.const 1)))
              (br_if $quarter (local.get $q)))
            ;; Sum |new - old| per channel (max - min of unsigned bytes) into four i32 lanes; keep the new.
            (local.set $o (i32.add (local.get $hsv) (local.get $o)))
            (local.set $old (v128.load (local.get $o)))
            (local.set $dh
              (i32x4.add (local.get $dh)
                (i32x4.extadd_pairwise_i16x8_u (i16x8.extadd_pairwise_i8x16_u
                  (i8x16.sub (i8x16.max_u (local.get $h) (local.get $old)) (i8x16.min_u (local.get $h) (local.get $old)))))))
            (v128.store (local.get $o) (local.get $h))
            (local.set $o (i32.add (local.get $o) (local.get $p)))
            (local.set $old (v128.load (local.get $o)))
            (local.set $ds
              (i32x4.add (local.get $ds)
                (i32x4.extadd_pairwise_i16x8_u (i16x8.extadd_pairwise_i8x16_u
                  (i8x16.sub (i8x16.max_u (local.get $s) (local.get $old)) (i8x16.min_u (local.get $s) (local.get $old)))))))
            (v128.store (local.get $o) (local.get $s))
            (local.set $o (i32.add (local.get $o) (local.get $p)))
            (local.set $old (v128.load (local.get $o)))
            (local.set $dv
              (i32x4.add (local.get $dv)
                (i32x4.extadd_pairwise_i16x8_u (i16x8.extadd_pairwise_i8x16_u
                  (i8x16.sub (i8x16.max_u (local.get $max) (local.get $old)) (i8x16.min_u (local.get $max) (local.get $old)))))))
            (v128.store (local.get $o) (local.get $max))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $group)))
    (call $hsum (local.get $dh))
    (call $hsum (local.get $ds))
    (call $hsum (local.get $dv)))

  ;; Packed BGR of `pixels` pixels: flag the changed groups (`all` = 1: every group, for the first frame),
  ;; split them into planes, then the HSV pass.
  (func (export "next") (param $pixels i32) (param $all i32) (param $prev i32) (param $planes i32)
    (param $flags i32) (param $hsv i32) (result i32 i32 i32)
    (local $k i32) (local $o i32) (local $po i32) (local $changed i32) (local $c0 v128) (local $c1 v128) (local $c2 v128)
    (block $done
      (loop $group
        (br_if $done (i32.ge_u (local.get $o) (i32.mul (local.get $pixels) (i32.const 3))))
        (local.set $c0 (v128.load offset=0 (local.get $o)))
        (local.set $c1 (v128.load offset=16 (local.get $o)))
        (local.set $c2 (v128.load offset=32 (local.get $o)))
        (local.set $po (i32.add (local.get $prev) (local.get $o)))
        (local.set $changed
          (i32.or
            (local.get $all)
            (v128.any_true
              (v128.or
                (v128.or
                  (v128.xor (local.get $c0) (v128.load offset=0 (local.get $po)))
                  (v128.xor (local.get $c1) (v128.load offset=16 (local.get $po))))
                (v128.xor (local.get $c2) (v128.load offset=32 (local.get $po)))))))
        (i32.store8 (i32.add (local.get $flags) (local.get $k)) (local.get $changed))
        (if (local.get $changed)
          (then
            (v128.store offset=0 (local.get $po) (local.get $c0))
            (v128.store offset=16 (local.get $po) (local.get $c1))
            (v128.store offset=32 (local.get $po) (local.get $c2))
            (local.set $po (i32.add (local.get $planes) (i32.shl (local.get $k) (i32.const 4))))
            (v128.store (local.get $po)
              (v128.or
                (v128.or (i8x16.swizzle (local.get $c0) (global.get $b0)) (i8x16.swizzle (local.get $c1) (global.get $b1)))
                (i8x16.swizzle (local.get $c2) (global.get $b2))))
            (local.set $po (i32.add (local.get $po) (local.get $pixels)))
            (v128.store (local.get $po)
              (v128.or
                (v128.or (i8x16.swizzle (local.get $c0) (global.get $g0)) (i8x16.swizzle (local.get $c1) (global.get $g1)))
                (i8x16.swizzle (local.get $c2) (global.get $g2))))
            (local.set $po (i32.add (local.get $po) (local.get $pixels)))
            (v128.store (local.get $po)
              (v128.or
                (v128.or (i8x16.swizzle (local.get $c0) (global.get $r0)) (i8x16.swizzle (local.get $c1) (global.get $r1)))
                (i8x16.swizzle (local.get $c2) (global.get $r2))))))
        (local.set $o (i32.add (local.get $o) (i32.const 48)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $group)))
    (call $hsv (local.get $k) (local.get $flags) (local.get $planes) (local.get $pixels) (local.get $hsv)))

  ;; Planar YUV 4:2:0, `stride` x `height` pixels (stride a multiple of 16): Y from 0, U from $uo and V from
  ;; $vo (stride / 2 bytes a row, one row per two luma rows). Changed groups are converted to BGR planes.
  (func (export "next_yuv") (param $stride i32) (param $height i32) (param $uo i32) (param $vo i32)
    (param $all i32) (param $prev i32) (param $planes i32) (param $flags i32) (param $hsv i32) (result i32 i32 i32)
    (local $p i32) (local $row i32) (local $x i32) (local $lo i32) (local $co i32) (local $keep i32) (local $changed i32)
    (local $po i32)
    (local $y v128) (local $u v128) (local $v v128) (local $yl v128) (local $yh v128) (local $t v128)
    (local.set $p (i32.mul (local.get $stride) (local.get $height)))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $row) (local.get $height)))
        ;; A chroma row is compared on both of its luma rows and saved after the second (or a last odd one).
        (local.set $keep
          (i32.or
            (i32.and (local.get $row) (i32.const 1))
            (i32.eq (local.get $row) (i32.sub (local.get $height) (i32.const 1)))))
        (local.set $x (i32.const 0))
        (block $cols_done
          (loop $cols
            (br_if $cols_done (i32.ge_u (local.get $x) (local.get $stride)))
            (local.set $lo (i32.add (i32.mul (local.get $row) (local.get $stride)) (local.get $x)))
            (local.set $co
              (i32.add
                (i32.mul (i32.shr_u (local.get $row) (i32.const 1)) (i32.shr_u (local.get $stride) (i32.const 1)))
                (i32.shr_u (local.get $x) (i32.const 1))))
            (local.set $y (v128.load (local.get $lo)))
            (local.set $u (v128.load64_zero (i32.add (local.get $uo) (local.get $co))))
            (local.set $v (v128.load64_zero (i32.add (local.get $vo) (local.get $co))))
            (local.set $changed
              (i32.or
                (local.get $all)
                (v128.any_true
                  (v128.or
                    (v128.xor (local.get $y) (v128.load (i32.add (local.get $prev) (local.get $lo))))
                    (v128.or
                      (v128.xor (local.get $u)
                        (v128.load64_zero (i32.add (local.get $prev) (i32.add (local.get $uo) (local.get $co)))))
                      (v128.xor (local.get $v)
                        (v128.load64_zero (i32.add (local.get $prev) (i32.add (local.get $vo) (local.get $co))))))))))
            (i32.store8 (i32.add (local.get $flags) (i32.shr_u (local.get $lo) (i32.const 4))) (local.get $changed))
            (if (local.get $changed)
              (then
                (v128.store (i32.add (local.get $prev) (local.get $lo)) (local.get $y))
                (if (local.get $keep)
                  (then
                    (v128.store64_lane 0 (i32.add (local.get $prev) (i32.add (local.get $uo) (local.get $co))) (local.get $u))
                    (v128.store64_lane 0 (i32.add (local.get $prev) (i32.add (local.get $vo) (local.get $co))) (local.get $v))))
                ;; Y' for the 16 pixels, in two halves of eight i16 lanes.
                (local.set $yl (i16x8.shl (i16x8.sub (i16x8.extend_low_i8x16_u (local.get $y)) (global.get $yoff)) (i32.const 3)))
                (local.set $yl
                  (i16x8.narrow_i32x4_s
                    (i32x4.shr_s (i32x4.extmul_low_i16x8_s (local.get $yl) (global.get $cy)) (i32.const 16))
                    (i32x4.shr_s (i32x4.extmul_high_i16x8_s (local.get $yl) (global.get $cy)) (i32.const 16))))
                (local.set $yh (i16x8.shl (i16x8.sub (i16x8.extend_high_i8x16_u (local.get $y)) (global.get $yoff)) (i32.const 3)))
                (local.set $yh
                  (i16x8.narrow_i32x4_s
                    (i32x4.shr_s (i32x4.extmul_low_i16x8_s (local.get $yh) (global.get $cy)) (i32.const 16))
                    (i32x4.shr_s (i32x4.extmul_high_i16x8_s (local.get $yh) (global.get $cy)) (i32.const 16))))
                ;; The eight chroma samples (each serves two neighbouring pixels), times 8, centred.
                (local.set $u (i16x8.shl (i16x8.sub (i16x8.extend_low_i8x16_u (local.get $u)) (i16x8.splat (i32.const 128))) (i32.const 3)))
                (local.set $v (i16x8.shl (i16x8.sub (i16x8.extend_low_i8x16_u (local.get $v)) (i16x8.splat (i32.const 128))) (i32.const 3)))
                (local.set $po (i32.add (local.get $planes) (local.get $lo)))
                ;; B = Y' + hi(u, cbu): each chroma term widened to its two pixels, then clamped to a byte.
                (local.set $t
                  (i16x8.narrow_i32x4_s
                    (i32x4.shr_s (i32x4.extmul_low_i16x8_s (local.get $u) (global.get $cbu)) (i32.const 16))
                    (i32x4.shr_s (i32x4.extmul_high_i16x8_s (local.get $u) (global.get $cbu)) (i32.const 16))))
                (v128.store (local.get $po)
                  (i8x16.narrow_i16x8_u
                    (i16x8.add (local.get $yl) (i8x16.shuffle 0 1 0 1 2 3 2 3 4 5 4 5 6 7 6 7 (local.get $t) (local.get $t)))
                    (i16x8.add (local.get $yh) (i8x16.shuffle 8 9 8 9 10 11 10 11 12 13 12 13 14 15 14 15 (local.get $t) (local.get $t)))))
                ;; G = Y' + hi(u, cgu) + hi(v, cgv)
                (local.set $t
                  (i16x8.add
                    (i16x8.narrow_i32x4_s
                      (i32x4.shr_s (i32x4.extmul_low_i16x8_s (local.get $u) (global.get $cgu)) (i32.const 16))
                      (i32x4.shr_s (i32x4.extmul_high_i16x8_s (local.get $u) (global.get $cgu)) (i32.const 16)))
                    (i16x8.narrow_i32x4_s
                      (i32x4.shr_s (i32x4.extmul_low_i16x8_s (local.get $v) (global.get $cgv)) (i32.const 16))
                      (i32x4.shr_s (i32x4.extmul_high_i16x8_s (local.get $v) (global.get $cgv)) (i32.const 16)))))
                (local.set $po (i32.add (local.get $po) (local.get $p)))
                (v128.store (local.get $po)
                  (i8x16.narrow_i16x8_u
                    (i16x8.add (local.get $yl) (i8x16.shuffle 0 1 0 1 2 3 2 3 4 5 4 5 6 7 6 7 (local.get $t) (local.get $t)))
                    (i16x8.add (local.get $yh) (i8x16.shuffle 8 9 8 9 10 11 10 11 12 13 12 13 14 15 14 15 (local.get $t) (local.get $t)))))
                ;; R = Y' + hi(v, crv)
                (local.set $t
                  (i16x8.narrow_i32x4_s
                    (i32x4.shr_s (i32x4.extmul_low_i16x8_s (local.get $v) (global.get $crv)) (i32.const 16))
                    (i32x4.shr_s (i32x4.extmul_high_i16x8_s (local.get $v) (global.get $crv)) (i32.const 16))))
                (local.set $po (i32.add (local.get $po) (local.get $p)))
                (v128.store (local.get $po)
                  (i8x16.narrow_i16x8_u
                    (i16x8.add (local.get $yl) (i8x16.shuffle 0 1 0 1 2 3 2 3 4 5 4 5 6 7 6 7 (local.get $t) (local.get $t)))
                    (i16x8.add (local.get $yh) (i8x16.shuffle 8 9 8 9 10 11 10 11 12 13 12 13 14 15 14 15 (local.get $t) (local.get $t)))))))
            (local.set $x (i32.add (local.get $x) (i32.const 16)))
            (br $cols)))
        (local.set $row (i32.add (local.get $row) (i32.const 1)))
        (br $rows)))
    (call $hsv (i32.shr_u (local.get $p) (i32.const 4)) (local.get $flags) (local.get $planes) (local.get $p) (local.get $hsv)))
)
