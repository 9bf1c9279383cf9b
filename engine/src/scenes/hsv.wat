;; Frame-to-frame HSV distance, 16 pixels at a time (WebAssembly SIMD): the same numbers as HsvDistance's
;; JavaScript loop in hsv.ts (OpenCV's 8-bit BGR->HSV, bit for bit), at a fraction of its cost.
;; Compiled by scripts/gen-wasm.mjs into hsv-wasm.ts; a test fails when that file is stale.
;;
;; Memory, for P pixels (a multiple of 16; padding pixels stay black in every frame, so they add nothing):
;;   [0, 3P)    this frame, BGR, written by the caller before each call
;;   [3P, 6P)   the previous frame, BGR (groups of 16 pixels that did not change are skipped)
;;   [6P, 7P)   hue of the previous frame (0..179), then [7P, 8P) saturation and [8P, 9P) value
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

  ;; One channel of 16 pixels out of three 16-byte loads.
  (func $gather (param $x v128) (param $y v128) (param $z v128) (param $i v128) (param $j v128) (param $k v128)
    (result v128)
    (v128.or
      (v128.or (i8x16.swizzle (local.get $x) (local.get $i)) (i8x16.swizzle (local.get $y) (local.get $j)))
      (i8x16.swizzle (local.get $z) (local.get $k))))

  ;; Sum of |a - b| over 16 unsigned bytes, added to four i32 lanes.
  (func $absdiff (param $a v128) (param $b v128) (param $acc v128) (result v128)
    (i32x4.add
      (local.get $acc)
      (i32x4.extadd_pairwise_i16x8_u
        (i16x8.extadd_pairwise_i8x16_u
          (i8x16.sub (i8x16.max_u (local.get $a) (local.get $b)) (i8x16.min_u (local.get $a) (local.get $b)))))))

  (func $hsum (param $v v128) (result i32)
    (i32.add
      (i32.add (i32x4.extract_lane 0 (local.get $v)) (i32x4.extract_lane 1 (local.get $v)))
      (i32.add (i32x4.extract_lane 2 (local.get $v)) (i32x4.extract_lane 3 (local.get $v)))))

  ;; Compare this frame with the previous one; returns the sums of |dH|, |dS| and |dV| over all pixels.
  ;; `all` = 1 converts every group (the first frame).
  (func (export "next") (param $pixels i32) (param $all i32) (result i32 i32 i32)
    (local $o i32) (local $p i32) (local $end i32) (local $prev i32) (local $hp i32) (local $sp i32) (local $vp i32)
    (local $c0 v128) (local $c1 v128) (local $c2 v128)
    (local $b v128) (local $g v128) (local $r v128) (local $max v128) (local $diff v128)
    (local $h v128) (local $s v128) (local $q i32) (local $zero v128)
    (local $mx v128) (local $df v128) (local $bb v128) (local $gg v128) (local $rr v128) (local $h4 v128) (local $s4 v128)
    (local $dh v128) (local $ds v128) (local $dv v128)
    (local.set $end (i32.mul (local.get $pixels) (i32.const 3)))
    (local.set $prev (local.get $end))
    (local.set $hp (i32.mul (local.get $pixels) (i32.const 6)))
    (local.set $sp (i32.mul (local.get $pixels) (i32.const 7)))
    (local.set $vp (i32.mul (local.get $pixels) (i32.const 8)))
    (block $done
      (loop $group
        (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
        (local.set $c0 (v128.load offset=0 (local.get $o)))
        (local.set $c1 (v128.load offset=16 (local.get $o)))
        (local.set $c2 (v128.load offset=32 (local.get $o)))
        (if (i32.or
              (local.get $all)
              (v128.any_true
                (v128.or
                  (v128.or
                    (v128.xor (local.get $c0) (v128.load offset=0 (i32.add (local.get $prev) (local.get $o))))
                    (v128.xor (local.get $c1) (v128.load offset=16 (i32.add (local.get $prev) (local.get $o)))))
                  (v128.xor (local.get $c2) (v128.load offset=32 (i32.add (local.get $prev) (local.get $o)))))))
          (then
            (v128.store offset=0 (i32.add (local.get $prev) (local.get $o)) (local.get $c0))
            (v128.store offset=16 (i32.add (local.get $prev) (local.get $o)) (local.get $c1))
            (v128.store offset=32 (i32.add (local.get $prev) (local.get $o)) (local.get $c2))
            (local.set $b (call $gather (local.get $c0) (local.get $c1) (local.get $c2) (global.get $b0) (global.get $b1) (global.get $b2)))
            (local.set $g (call $gather (local.get $c0) (local.get $c1) (local.get $c2) (global.get $g0) (global.get $g1) (global.get $g2)))
            (local.set $r (call $gather (local.get $c0) (local.get $c1) (local.get $c2) (global.get $r0) (global.get $r1) (global.get $r2)))
            (local.set $max (i8x16.max_u (i8x16.max_u (local.get $b) (local.get $g)) (local.get $r)))
            (local.set $diff
              (i8x16.sub (local.get $max) (i8x16.min_u (i8x16.min_u (local.get $b) (local.get $g)) (local.get $r))))
            ;; Hue and saturation four pixels at a time, in i32 lanes: each round takes bytes 0..3 of
            ;; max, diff, b, g and r, then moves them along; results enter h and s from the top.
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
            (local.set $dh (call $absdiff (local.get $h) (v128.load (local.get $hp)) (local.get $dh)))
            (local.set $ds (call $absdiff (local.get $s) (v128.load (local.get $sp)) (local.get $ds)))
            (local.set $dv (call $absdiff (local.get $max) (v128.load (local.get $vp)) (local.get $dv)))
            (v128.store (local.get $hp) (local.get $h))
            (v128.store (local.get $sp) (local.get $s))
            (v128.store (local.get $vp) (local.get $max))))
        (local.set $o (i32.add (local.get $o) (i32.const 48)))
        (local.set $hp (i32.add (local.get $hp) (i32.const 16)))
        (local.set $sp (i32.add (local.get $sp) (i32.const 16)))
        (local.set $vp (i32.add (local.get $vp) (i32.const 16)))
        (br $group)))
    (call $hsum (local.get $dh))
    (call $hsum (local.get $ds))
    (call $hsum (local.get $dv)))
)
